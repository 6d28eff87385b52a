import type { SessionRecord } from './session/record.js';

/** Anything with mutable headers: a fetch `Request`, or `{ headers }` (ky hooks, a websocket upgrade). */
export interface AuthorizeTarget {
  readonly headers: Headers;
  /** When present (a `Request`), used to find the API's base URL and an `account_id` query parameter. */
  readonly url?: string;
}

/** How a request is authorised. */
export interface AuthorizeOptions {
  /**
   * Whether the request runs inside one account (every resource endpoint does). Default true, the
   * safe side: the multi-account guard runs unless a caller says the endpoint is not scoped
   * (`/rest/accounts`, `/rest/auth`, …).
   * @defaultValue true
   */
  accountScoped?: boolean;
}

/** What a refresh after a refused request knows. */
export interface RefreshOptions {
  /**
   * The credential the server just refused (a token, or the whole `Authorization` value). When the
   * current token already differs, it is reused without a round trip: another caller refreshed.
   * @defaultValue none: the strategy renews whatever it holds
   */
  rejected?: string;
}

/** Which way a strategy authenticates. */
export type AuthKind = 'basic' | 'session' | 'token' | 'integrator';

/** Why stored credentials changed: a login, a refresh, a masquerade, a newer session adopted from the store, or a logout. */
export type AuthChangeReason = 'login' | 'refresh' | 'masquerade' | 'restore' | 'logout';

/** Sent to `onChange` listeners whenever stored credentials change, including expiry-driven refreshes. */
export interface AuthChange {
  reason: AuthChangeReason;
  kind: AuthKind;
  /** The account the session is bound to (undefined for an unbound session before its first login). */
  accountId: string | undefined;
  /** The new session to persist, or undefined after logout. */
  session: SessionRecord | undefined;
}

/** Called with each change of stored credentials. */
export type AuthChangeListener = (change: AuthChange) => void;

/**
 * One interface for every way to authenticate (after Octokit's auth strategies). Clients call
 * `authorize()` before each request, `refresh({ rejected })` after a 401, `token()` for the realtime
 * socket, and `forAccount(id)` to bind an account.
 */
export interface AuthStrategy {
  readonly kind: AuthKind;
  /** The bound account, if any. */
  readonly accountId: string | undefined;
  /** Sets `Authorization` (and `X-Account-Id` when bound) on the request; may log in or refresh first. */
  authorize(request: AuthorizeTarget, options?: AuthorizeOptions): Promise<void>;
  /** A bearer token for the realtime API, which accepts tokens only. */
  token(): Promise<string>;
  /**
   * Called after the server refused a credential. Resolves true when new credentials are in place
   * (retry the request once), false when this strategy cannot renew (static credentials). Concurrent
   * callers share one refresh.
   */
  refresh(options?: RefreshOptions): Promise<boolean>;
  /** The same principal bound to another account; shares caches with this strategy. */
  forAccount(accountId: string): AuthStrategy;
  /** Subscribe to credential changes; returns the unsubscribe function. */
  onChange(listener: AuthChangeListener): () => void;
  /** Drops listeners and in-memory credentials; later calls reject. Never touches the store. */
  dispose(): void;
}
