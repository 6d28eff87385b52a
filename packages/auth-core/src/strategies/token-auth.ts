import type { AuthStrategy } from '../strategy.js';
import { validateAccountId, validateToken } from '../validate.js';
import { staticStrategy } from './static-strategy.js';

/** The options of {@link createTokenAuth}. */
export interface TokenAuthOptions {
  /** A long-lived API token (`POST /rest/token`) or any bearer token you manage yourself. */
  token: string;
  /**
   * Sent as `X-Account-Id`. The token is bound to its account; another account is refused (403).
   * @defaultValue none: requests run on the token's account
   */
  accountId?: string;
}

/**
 * API tokens: `Authorization: Bearer <token>`. Usable for REST and the realtime socket alike.
 *
 * @example
 * ```ts
 * import { createTokenAuth } from '@callwire/auth-core';
 * import { createClient } from '@callwire/rest-client';
 *
 * const auth = createTokenAuth({ token: process.env.CALLWIRE_TOKEN! });
 * const client = createClient({ baseUrl: 'http://127.0.0.1:8787', auth });
 * ```
 */
export function createTokenAuth(options: TokenAuthOptions): AuthStrategy {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createTokenAuth expects an options object');
  validateToken(options.token, 'token');
  if (options.accountId !== undefined) validateAccountId(options.accountId, 'accountId');
  const { token } = options;
  const tokenPromise = Promise.resolve(token);
  return staticStrategy({
    kind: 'token',
    accountId: options.accountId,
    authorization: `Bearer ${token}`,
    token: () => tokenPromise,
    forAccount: (accountId) => createTokenAuth({ token, accountId }),
  });
}
