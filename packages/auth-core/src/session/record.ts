import { CallwireError } from '../errors/callwire-error.js';
import { readSessionPayload } from './payload.js';

/**
 * A session as the strategy keeps and stores it: serialisable (JSON), and free of the server's
 * clock. `expiresAt` is the local clock when the login/refresh request *started* plus
 * `token_lifetime`, so a skewed server clock cannot make a token look valid.
 */
export interface SessionRecord {
  version: 1;
  token: string;
  refreshToken: string;
  /** Local epoch ms when the request that produced the token started. */
  issuedAt: number;
  /** Local epoch ms after which the token is considered expired: `issuedAt + token_lifetime`. */
  expiresAt: number;
  /** Local epoch ms after which the refresh token is useless, when the server told us. */
  refreshExpiresAt: number | undefined;
  /** The account the token is bound to. */
  accountId: string;
  userId: string | undefined;
  /** Increases with every stored change; a result computed from an older generation is discarded. */
  generation: number;
}

/** Builds a record from a login/refresh/masquerade payload; `startedAt` is the local clock at request start. */
export function sessionFromPayload(payload: unknown, startedAt: number, generation: number): SessionRecord {
  const parsed = readSessionPayload(payload);
  if ('invalid' in parsed) {
    // Paths only: the payload holds tokens, so no value is quoted.
    throw new CallwireError({
      code: 'invalid_response',
      message: `The session response lacks valid fields: ${parsed.invalid.join(', ')}`,
    });
  }
  const { session } = parsed;
  const lifetimeMs = session.token_lifetime * 1000;
  let refreshExpiresAt: number | undefined;
  if (session.refresh_token_expiration !== undefined && session.token_expiration !== undefined) {
    // A difference of two server timestamps is immune to skew between the clocks.
    const refreshLifetime =
      Date.parse(session.refresh_token_expiration) - Date.parse(session.token_expiration);
    if (Number.isFinite(refreshLifetime)) refreshExpiresAt = startedAt + lifetimeMs + refreshLifetime;
  }
  return {
    version: 1,
    token: session.token,
    refreshToken: session.refresh_token,
    issuedAt: startedAt,
    expiresAt: startedAt + lifetimeMs,
    refreshExpiresAt,
    accountId: session.account.uuid,
    userId: session.user?.uuid,
    generation,
  };
}

/** Checks a record read from a store (a file a user may have edited). */
export function isSessionRecord(value: unknown): value is SessionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<SessionRecord>;
  return (
    record.version === 1 &&
    typeof record.token === 'string' &&
    record.token.length > 0 &&
    typeof record.refreshToken === 'string' &&
    typeof record.issuedAt === 'number' &&
    typeof record.expiresAt === 'number' &&
    typeof record.accountId === 'string' &&
    typeof record.generation === 'number'
  );
}
