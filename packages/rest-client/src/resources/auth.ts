import type { ApiToken, CreateApiTokenRequest, Profile } from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import { type Requester, segment } from '../requester.js';
import { ref } from '../responses.js';
import { offsetList } from './list.js';

/** Long-lived API tokens of the account (`client.auth.tokens`). */
export interface TokensApi {
  /** API tokens of this user and account (secrets are never listed). */
  list(options?: ListOptions): PageIterator<ApiToken>;
  /** A long-lived named token; `token` is in this response only: store it now. */
  create(body: CreateApiTokenRequest, options?: RequestOptions): ApiPromise<ApiToken>;
  /** Revokes a token at once: requests with it are refused from then on. */
  revoke(uuid: string, options?: RequestOptions): ApiPromise<void>;
}

/** The signed-in principal (`client.auth`). */
export interface AuthApi {
  /** The signed-in user with their account (`GET /rest/auth`). */
  profile(options?: RequestOptions): ApiPromise<Profile>;
  tokens: TokensApi;
}

export function authApi(r: Requester): AuthApi {
  return {
    profile: (options) =>
      r.request(
        { method: 'get', path: 'auth', schema: ref('Profile'), endpoint: 'auth.profile', scoped: false },
        options,
      ),
    tokens: {
      list: (options) =>
        offsetList(
          r,
          (query) => ({
            method: 'get',
            path: 'token',
            query,
            schema: ref('ApiTokenPage'),
            endpoint: 'auth.tokens.list',
          }),
          options,
        ),
      create: (body, options) =>
        r.request(
          { method: 'post', path: 'token', body, schema: ref('ApiToken'), endpoint: 'auth.tokens.create' },
          options,
        ),
      revoke: (uuid, options) =>
        r.request<void>(
          { method: 'delete', path: `token/${segment(uuid, 'uuid')}`, endpoint: 'auth.tokens.revoke' },
          options,
        ),
    },
  };
}
