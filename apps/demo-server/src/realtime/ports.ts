import type { UserPrincipal } from '../identity/auth/principal.js';
import type { BacklogReader } from './client-subscription.js';

/** Who a websocket authenticated as: what the server learnt from a session or API token. */
export interface WsIdentity {
  userId: string;
  /** The session or API token's id, so that revoking it finds the sockets it opened. */
  credentialId: string;
  /** The account the token is bound to: the default for `subscribe` without `account_id`. */
  accountId: string;
  /** Expiry in epoch ms (server clock). */
  expiresOn: number;
  /**
   * The token's whole lifetime in ms when the server knows it (session tokens: the configured token
   * lifetime); `token_expiring` is timed from it. Otherwise the time left when the socket accepted it.
   */
  lifetimeMs?: number;
  /** `payload.user` / `payload.account` of the auth frame, shaped as the contract says. */
  user: unknown;
  account: unknown;
  /** The verified principal (memberships, bound account), refreshed when the user changes. */
  principal: UserPrincipal;
}

/** Thrown (or rejected) by {@link RealtimePorts.authenticate}: an HTTP-like status and a contract code. */
export interface WsAuthError {
  status?: number | undefined;
  code: string;
  message: string;
}

/** An active `wss` subscription made over REST: it applies to every connection of its user. */
export interface RestWssSubscription {
  uuid: string;
  userId: string;
  accountId: string;
  types: readonly string[];
  /** `expired_on` in epoch ms: the subscription stops applying then. */
  expiresOn: number | null;
}

/** What the realtime layer needs from the rest of the server. */
export interface RealtimePorts {
  /** Verifies a session or API bearer token (never Basic credentials). */
  authenticate(token: string): Promise<WsIdentity>;
  /** Whether the identity's user may read `accountId`'s events (membership, or integrator link). */
  mayActOn(identity: WsIdentity, accountId: string): Promise<boolean>;
  /** The user's active `wss` subscriptions made over REST. */
  restSubscriptions(userId: string): Promise<RestWssSubscription[]>;
  backlog: BacklogReader;
  /** Server clock, epoch ms. */
  now(): number;
  logError(error: unknown, message: string): void;
  /** Refusals any client can cause (oversized frames, floods): at most warn, no stack, throttled. */
  logRefusal(details: Record<string, unknown>, message: string): void;
}

export interface RealtimeLimits {
  /** Auth must arrive within this many ms of the connection opening. @default 10000 */
  authTimeoutMs: number;
  /** Server ping interval in ms. @default 25000 */
  pingIntervalMs: number;
  /** A connection silent this many ms is dropped. @default 60000 */
  idleTimeoutMs: number;
  /**
   * `token_expiring` is sent this many ms before expiry, or a quarter of the token's lifetime
   * when that is shorter (see `expiryWarning`). @default 60000
   */
  expiryWarningMs: number;
  /** Largest text frame accepted, in bytes. @default 65536 (64 KiB) */
  maxMessageBytes: number;
  /** Subscriptions one connection may hold at once. @default 100 */
  maxSubscriptionsPerConnection: number;
  /** Open connections one user may hold at once. @default 20 */
  maxConnectionsPerUser: number;
  /** Longest gap replayed on `after_seq`, in events; longer gaps answer `recovered: false`. @default 100000 */
  maxReplay: number;
  /**
   * A socket whose unsent backlog grows past this many bytes is closed 4429 (a consumer too slow to
   * keep up). @default 16777216 (16 MiB)
   */
  maxBufferedBytes: number;
  /** Messages a socket may send per second, sustained; over it: `rate_limited`, close 4429. @default 20 */
  messagesPerSecond: number;
  /** Messages a socket may send at once before the rate applies. @default 200 */
  messageBurst: number;
}

export const DEFAULT_REALTIME_LIMITS: RealtimeLimits = {
  authTimeoutMs: 10_000,
  pingIntervalMs: 25_000,
  idleTimeoutMs: 60_000,
  expiryWarningMs: 60_000,
  maxMessageBytes: 64 * 1024,
  maxSubscriptionsPerConnection: 100,
  maxConnectionsPerUser: 20,
  maxReplay: 100_000,
  maxBufferedBytes: 16 * 1024 * 1024,
  messagesPerSecond: 20,
  // Room for a client that subscribes to the full 100 subscriptions at once, twice over.
  messageBurst: 200,
};

/**
 * How long before expiry `token_expiring` goes out for a token living `lifetime` ms:
 * `maxWarningMs`, or a quarter of the lifetime when that is shorter. A fixed
 * window longer than a short token's life would warn the moment the token arrives, and a client that
 * renews on the warning would renew in a loop; a 60 s token is warned 15 s before it expires.
 */
export function expiryWarning(lifetime: number, maxWarningMs: number): number {
  return Math.min(maxWarningMs, Math.max(0, lifetime) / 4);
}
