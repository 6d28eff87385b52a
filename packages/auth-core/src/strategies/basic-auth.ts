import { AccountDirectory, accountRequired, namesAccount } from '../account-guard.js';
import { encodeBasic } from '../basic.js';
import { CallwireError } from '../errors/callwire-error.js';
import { defaultFetch, type FetchLike, normalizeBaseUrl } from '../http.js';
import { ListenerSet } from '../kit/listener-set.js';
import type { Logger as AuthLogger } from '../kit/logger.js';
import { createSessionAuth, type SessionAuth } from '../session/session-auth.js';
import type { AuthChange, AuthorizeTarget, AuthStrategy } from '../strategy.js';
import { validateAccountId } from '../validate.js';
import { staticStrategy } from './static-strategy.js';

/** The options of {@link createBasicAuth}. */
export interface BasicAuthOptions {
  /** The user's email. */
  username: string;
  password: string;
  /**
   * Bind every account-scoped request to this account (`X-Account-Id`).
   * @defaultValue none: a principal with several accounts must name one per request (`forAccount`)
   */
  accountId?: string;
  /**
   * The API root. Used to list the user's accounts for the multi-account guard and to open a session
   * for `token()`. Without it the guard derives the root from the request URL (`…/rest/…`).
   * @defaultValue derived from the first request's URL
   */
  baseUrl?: string;
  /**
   * The `fetch` the strategy's own requests use (the account list, the session for `token()`).
   * @defaultValue the global `fetch`
   */
  fetch?: FetchLike;
  /**
   * Per request of the strategy's own, ms.
   * @defaultValue 30 000
   */
  timeout?: number;
  /**
   * Passed to the session `token()` opens.
   * @defaultValue `Date.now`
   */
  clock?: () => number;
  /**
   * Where the strategy reports what it does; every line is redacted.
   * @defaultValue none: nothing is logged
   */
  logger?: AuthLogger;
}

interface Shared {
  options: BasicAuthOptions;
  authorization: string;
  baseUrl: string | undefined;
  fetch: FetchLike;
  directory: AccountDirectory;
  /** Sessions opened by token(), one per account, shared by every forAccount copy. */
  sessions: Map<string, SessionAuth>;
  listeners: ListenerSet<AuthChange>;
}

async function guard(shared: Shared, target: AuthorizeTarget | undefined): Promise<void> {
  if (target !== undefined && namesAccount(target)) return;
  const accounts = await shared.directory.list(target);
  // No way to list (no base URL): the server's own account_required check still stands behind us.
  if (accounts !== undefined && accounts.length > 1) {
    throw accountRequired(
      accounts,
      `This user can act on ${accounts.length} accounts and the request names none`,
    );
  }
}

function sessionFor(shared: Shared, accountId: string | undefined): SessionAuth {
  const key = accountId ?? '';
  let session = shared.sessions.get(key);
  if (session === undefined) {
    const { username, password, clock, logger, timeout } = shared.options;
    session = createSessionAuth({
      baseUrl: shared.baseUrl!,
      username,
      password,
      accountId,
      fetch: shared.fetch,
      clock,
      logger,
      timeout,
    });
    session.onChange((change) =>
      shared.listeners.emit(change, () => {
        /* a listener's failure is its own */
      }),
    );
    shared.sessions.set(key, session);
  }
  return session;
}

function build(shared: Shared, accountId: string | undefined): AuthStrategy {
  return staticStrategy({
    kind: 'basic',
    accountId,
    authorization: shared.authorization,
    guard: (target) => guard(shared, target),
    // The realtime API takes tokens only, never Basic credentials. A Basic strategy
    // holds the password, so it logs in (`POST /rest/auth/login`) and hands out that session's token,
    // renewed like any session. A token is bound to one account, hence the guard.
    token: async () => {
      if (shared.baseUrl === undefined) {
        throw new CallwireError({
          code: 'token_unavailable',
          message:
            'createBasicAuth needs the baseUrl option to open a session for the realtime API (it takes tokens only)',
        });
      }
      if (accountId === undefined) await guard(shared, undefined);
      return sessionFor(shared, accountId).token();
    },
    forAccount: (id) => {
      validateAccountId(id, 'forAccount(accountId)');
      return build(shared, id);
    },
    onChange: (listener) => shared.listeners.add(listener),
    dispose: () => {
      shared.listeners.clear();
      for (const session of shared.sessions.values()) session.dispose();
      shared.sessions.clear();
    },
  });
}

/**
 * RFC 7617 Basic credentials on every request, with the multi-account guard: before an
 * account-scoped request leaves without an account, the user's accounts are listed once
 * (`GET /rest/accounts`, cached) and an `AccountRequiredError` naming them is thrown when there
 * are several.
 *
 * @example
 * ```ts
 * import { createBasicAuth } from '@callwire/auth-core';
 * import { createClient } from '@callwire/rest-client';
 *
 * const baseUrl = 'http://127.0.0.1:8787';
 * const auth = createBasicAuth({ baseUrl, username: 'bob@example.com', password: 'bob-pass-1' });
 * const client = createClient({ baseUrl, auth }).forAccount(accountId);
 * ```
 */
export function createBasicAuth(options: BasicAuthOptions): AuthStrategy {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createBasicAuth expects an options object');
  if (typeof options.username !== 'string' || options.username.length === 0) {
    throw new TypeError('username must be a non-empty string');
  }
  if (typeof options.password !== 'string') throw new TypeError('password must be a string');
  const authorization = encodeBasic(options.username, options.password);
  if (options.accountId !== undefined) validateAccountId(options.accountId, 'accountId');
  const baseUrl = options.baseUrl === undefined ? undefined : normalizeBaseUrl(options.baseUrl);
  const fetchImpl = options.fetch ?? defaultFetch();
  const shared: Shared = {
    options,
    authorization,
    baseUrl,
    fetch: fetchImpl,
    directory: new AccountDirectory(
      { baseUrl, fetch: fetchImpl, timeout: options.timeout ?? 30_000 },
      authorization,
    ),
    sessions: new Map(),
    listeners: new ListenerSet<AuthChange>(),
  };
  return build(shared, options.accountId);
}
