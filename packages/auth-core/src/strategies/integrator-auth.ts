import { AccountDirectory, accountRequired, namesAccount } from '../account-guard.js';
import { CallwireError } from '../errors/callwire-error.js';
import { defaultFetch, type FetchLike, normalizeBaseUrl } from '../http.js';
import { encodeIntegrator } from '../integrator.js';
import type { AuthStrategy } from '../strategy.js';
import { validateAccountId } from '../validate.js';
import { staticStrategy } from './static-strategy.js';

/** The options of {@link createIntegratorAuth}. */
export interface IntegratorAuthOptions {
  appKey: string;
  secret: string;
  /**
   * A linked account. Required on every account-scoped request; bind it here or with forAccount.
   * @defaultValue none
   */
  accountId?: string;
  /**
   * Lets an unbound strategy list the linked accounts in its AccountRequiredError.
   * @defaultValue derived from the first request's URL
   */
  baseUrl?: string;
  /**
   * The `fetch` used to list the linked accounts.
   * @defaultValue the global `fetch`
   */
  fetch?: FetchLike;
  /**
   * Per request of the strategy's own, ms.
   * @defaultValue 30 000
   */
  timeout?: number;
}

interface Shared {
  authorization: string;
  directory: AccountDirectory;
}

function build(shared: Shared, accountId: string | undefined): AuthStrategy {
  return staticStrategy({
    kind: 'integrator',
    accountId,
    authorization: shared.authorization,
    // The server wants account_id on every scoped integrator request, even with one linked account.
    guard: async (target) => {
      if (namesAccount(target)) return;
      const accounts = await shared.directory.list(target).catch(() => undefined);
      throw accountRequired(accounts ?? [], 'Integrator requests must name a linked account');
    },
    token: () =>
      Promise.reject(
        new CallwireError({
          code: 'token_unavailable',
          message:
            'Integrator credentials cannot open a realtime session: the realtime API takes bearer tokens only. Use an API token or a session.',
        }),
      ),
    forAccount: (id) => {
      validateAccountId(id, 'forAccount(accountId)');
      return build(shared, id);
    },
  });
}

/**
 * Integrator apps: `Authorization: Integrator base64(app_key:secret)`, acting on linked accounts.
 *
 * @example
 * ```ts
 * import { createIntegratorAuth } from '@callwire/auth-core';
 * import { createClient } from '@callwire/rest-client';
 *
 * const auth = createIntegratorAuth({ appKey, secret, baseUrl: 'http://127.0.0.1:8787' });
 * const acme = createClient({ baseUrl: 'http://127.0.0.1:8787', auth }).forAccount(linkedAccountId);
 * ```
 */
export function createIntegratorAuth(options: IntegratorAuthOptions): AuthStrategy {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createIntegratorAuth expects an options object');
  const authorization = encodeIntegrator(options.appKey, options.secret);
  if (options.accountId !== undefined) validateAccountId(options.accountId, 'accountId');
  const baseUrl = options.baseUrl === undefined ? undefined : normalizeBaseUrl(options.baseUrl);
  const directory = new AccountDirectory(
    { baseUrl, fetch: options.fetch ?? defaultFetch(), timeout: options.timeout ?? 30_000 },
    authorization,
  );
  return build({ authorization, directory }, options.accountId);
}
