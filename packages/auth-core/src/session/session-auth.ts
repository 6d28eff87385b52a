import { isCallwireError } from '../errors/callwire-error.js';
import { AuthenticationError } from '../errors/classes.js';
import { callApi, defaultFetch, type FetchLike, type HttpContext, normalizeBaseUrl } from '../http.js';
import { ListenerSet } from '../kit/listener-set.js';
import { type Logger as AuthLogger, createLog } from '../kit/logger.js';
import type {
  AuthChange,
  AuthChangeListener,
  AuthorizeTarget,
  AuthStrategy,
  RefreshOptions,
} from '../strategy.js';
import { bearerFrom, validateAccountId, validateFunction, validatePositiveNumber } from '../validate.js';
import { isSessionRecord, type SessionRecord } from './record.js';
import { type Acquire, disposedError, type SessionContext, SessionSlot } from './slot.js';
import { createMemorySessionStore, DEFAULT_SESSION_KEY, type SessionStore } from './store.js';

/** The options of {@link createSessionAuth}. */
export interface SessionAuthOptions {
  /** The API root, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string;
  /**
   * The user's email. With `password`, lets the strategy log in (and in again when a refresh fails).
   * @defaultValue none: the strategy resumes from `session` or `store` and cannot log in again
   */
  username?: string;
  /**
   * The user's password; kept in memory only, to log in again when a refresh fails.
   * @defaultValue none
   */
  password?: string;
  /**
   * Log in bound to this account (`account_id` of the login). Default: the user's default account.
   * @defaultValue the user's default account
   */
  accountId?: string;
  /**
   * Start from a stored session (no password needed while its refresh token lives).
   * @defaultValue none
   */
  session?: SessionRecord;
  /**
   * Where sessions are kept; default in memory. The CLI passes a file store.
   * @defaultValue an in-memory store
   */
  store?: SessionStore;
  /**
   * The `fetch` used for login, refresh and logout.
   * @defaultValue the global `fetch`
   */
  fetch?: FetchLike;
  /**
   * Epoch ms; default `Date.now`. Only ever compared with itself, never with the server's clock.
   * @defaultValue `Date.now`
   */
  clock?: () => number;
  /**
   * Renew this many ms before expiry (default 60 000, at most half the token's lifetime).
   * @defaultValue 60 000
   */
  refreshMargin?: number;
  /**
   * Per auth request, ms (default 30 000).
   * @defaultValue 30 000
   */
  timeout?: number;
  /**
   * Where the strategy reports logins and refreshes; every line is redacted.
   * @defaultValue none: nothing is logged
   */
  logger?: AuthLogger;
}

export interface SessionAuth extends AuthStrategy {
  readonly kind: 'session';
  forAccount(accountId: string): SessionAuth;
  /** Revokes the session (and every `forAccount` session) on the server and forgets it locally. */
  logout(): Promise<void>;
  /** The current session record, if any: what `onChange` also delivers. */
  session(): SessionRecord | undefined;
}

const RESOLVED = Promise.resolve();

interface Root {
  ctx: SessionContext;
  children: Map<string, SessionAuth>;
  boundAccount: string | undefined;
  /** Set right after creation; children mint their sessions from it. */
  rootAuth?: SessionAuth;
}

function makeAuth(
  root: Root,
  slot: SessionSlot,
  boundAccount: string | undefined,
  isRoot: boolean,
): SessionAuth {
  const { ctx } = root;

  const setHeaders = (target: AuthorizeTarget, authorization: string) => {
    target.headers.set('authorization', authorization);
    if (boundAccount !== undefined) target.headers.set('x-account-id', boundAccount);
  };

  const auth: SessionAuth = {
    kind: 'session',
    get accountId() {
      return boundAccount ?? slot.current?.accountId;
    },

    authorize(target) {
      // Hot path: a warm token costs a clock read, a comparison and a header write.
      const current = slot.current;
      if (current !== undefined && !slot.disposed) {
        const now = ctx.clock();
        if (now < current.expiresAt) {
          if (now >= slot.refreshAt) slot.renewInBackground();
          try {
            setHeaders(target, slot.header);
          } catch (error) {
            return Promise.reject(error);
          }
          return RESOLVED;
        }
      }
      // Use the record this call waited for: slot state may move on before the continuation runs.
      return slot.valid().then((record) => setHeaders(target, `Bearer ${record.token}`));
    },

    async token() {
      return (await slot.valid()).token;
    },

    refresh(options?: RefreshOptions) {
      return slot.refresh(bearerFrom(options?.rejected));
    },

    forAccount(accountId: string): SessionAuth {
      validateAccountId(accountId, 'forAccount(accountId)');
      if (slot.disposed) throw disposedError();
      if (accountId === boundAccount) return auth;
      if (accountId === root.boundAccount && root.rootAuth !== undefined) return root.rootAuth;
      const existing = root.children.get(accountId);
      if (existing !== undefined) return existing;
      const child = createChild(root, accountId);
      root.children.set(accountId, child);
      return child;
    },

    onChange(listener: AuthChangeListener) {
      return slot.listeners.add(listener);
    },

    async logout() {
      if (isRoot) {
        const children = [...root.children.values()];
        root.children.clear();
        await Promise.allSettled(children.map((child) => child.logout()));
      }
      const previous = await slot.clear();
      slot.emit('logout', undefined);
      if (previous === undefined) return;
      try {
        await callApi(ctx.http, {
          method: 'POST',
          path: '/rest/auth/logout',
          authorization: `Bearer ${previous.token}`,
          // The refresh token revokes the sign-in even when the access token has already expired
          // (the bearer alone would get 401 and leave the refresh token alive for its 30 days).
          body: previous.refreshToken === '' ? undefined : { refresh_token: previous.refreshToken },
        });
      } catch (error) {
        // Already invalid on the server is as good as revoked.
        if (!(isCallwireError(error) && error.status === 401)) throw error;
      }
    },

    session() {
      return slot.current;
    },

    dispose() {
      slot.disposed = true;
      slot.listeners.clear();
      slot.current = undefined;
      slot.header = '';
      if (isRoot) {
        for (const child of root.children.values()) child.dispose();
        root.children.clear();
      }
    },
  };
  return auth;
}

function createChild(root: Root, accountId: string): SessionAuth {
  const { ctx } = root;
  const rootAuth = root.rootAuth!;
  // A masquerade session for `accountId`, minted from the root's token. If the root token is refused,
  // the root refreshes once (single-flight there) and the masquerade is retried once.
  const acquire: Acquire = async () => {
    const masquerade = async (token: string) => {
      const startedAt = ctx.clock();
      const payload = await callApi(ctx.http, {
        method: 'POST',
        path: '/rest/auth/masquerade',
        body: { account_id: accountId },
        authorization: `Bearer ${token}`,
      });
      return { payload, startedAt, reason: 'masquerade' as const };
    };
    const token = await rootAuth.token();
    try {
      return await masquerade(token);
    } catch (error) {
      if (!(isCallwireError(error) && error.status === 401)) throw error;
      await rootAuth.refresh({ rejected: token });
      return masquerade(await rootAuth.token());
    }
  };
  const slot = new SessionSlot(ctx, accountId, acquire, new ListenerSet<AuthChange>(), () => accountId);
  return makeAuth(root, slot, accountId, false);
}

/**
 * Session bearer tokens from `POST /rest/auth/login`, renewed before they expire, shared by every
 * concurrent caller, and kept per account for `forAccount()` (masquerade).
 *
 * @example
 * ```ts
 * import { createSessionAuth } from '@callwire/auth-core';
 *
 * const auth = createSessionAuth({ baseUrl: 'http://127.0.0.1:8787', username, password });
 * // Keep the session to start from it next time, without the password:
 * auth.onChange(({ session }) => save(session));
 * ```
 */
export function createSessionAuth(options: SessionAuthOptions): SessionAuth {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createSessionAuth expects an options object');
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const { username, password } = options;
  const hasUser = username !== undefined;
  const hasPassword = password !== undefined;
  if (hasUser !== hasPassword) throw new TypeError('username and password go together');
  if (hasUser && (typeof username !== 'string' || username.length === 0)) {
    throw new TypeError('username must be a non-empty string');
  }
  if (hasPassword && (typeof password !== 'string' || password.length === 0)) {
    throw new TypeError('password must be a non-empty string');
  }
  if (options.accountId !== undefined) validateAccountId(options.accountId, 'accountId');
  if (options.session !== undefined && !isSessionRecord(options.session)) {
    throw new TypeError('session must be a session record as onChange delivers it (version 1)');
  }
  if (!hasUser && options.session === undefined && options.store === undefined) {
    throw new TypeError(
      'createSessionAuth needs username and password, a stored `session`, or a `store` holding one',
    );
  }
  const clock = options.clock ?? Date.now;
  validateFunction(clock, 'clock');
  const refreshMargin = options.refreshMargin ?? 60_000;
  if (typeof refreshMargin !== 'number' || !(refreshMargin >= 0))
    throw new TypeError('refreshMargin must be >= 0 (ms)');
  const timeout = options.timeout ?? 30_000;
  validatePositiveNumber(timeout, 'timeout');
  const store = options.store ?? createMemorySessionStore();
  for (const method of ['get', 'set', 'delete'] as const) validateFunction(store[method], `store.${method}`);
  const fetchImpl = options.fetch ?? defaultFetch();
  validateFunction(fetchImpl, 'fetch');

  const http: HttpContext = { baseUrl, fetch: fetchImpl, timeout };
  const rootListeners = new ListenerSet<AuthChange>();
  const ctx: SessionContext = {
    http,
    clock,
    store,
    refreshMargin,
    log: createLog(options.logger),
    rootListeners,
  };
  const boundAccount = options.accountId;

  const acquire: Acquire = async () => {
    if (username === undefined || password === undefined) {
      throw new AuthenticationError({
        status: undefined,
        code: 'session_expired',
        message: 'The session expired and no password is at hand to sign in again: log in again',
      });
    }
    const startedAt = clock();
    const body: Record<string, unknown> = { username, password };
    if (boundAccount !== undefined) body.account_id = boundAccount;
    const payload = await callApi(http, { method: 'POST', path: '/rest/auth/login', body });
    return { payload, startedAt, reason: 'login' };
  };

  const slot = new SessionSlot(
    ctx,
    boundAccount ?? DEFAULT_SESSION_KEY,
    acquire,
    rootListeners,
    () => boundAccount,
  );
  if (options.session !== undefined) slot.install(options.session);
  const root: Root = { ctx, children: new Map(), boundAccount };
  const auth = makeAuth(root, slot, boundAccount, true);
  root.rootAuth = auth;
  return auth;
}
