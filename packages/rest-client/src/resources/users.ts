import type { AccountUser, AddAccountUserRequest, UpdateAccountUserRequest } from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import { type Requester, segment } from '../requester.js';
import { ref } from '../responses.js';
import { offsetList } from './list.js';

/** The account's users (admin access). */
export interface UsersApi {
  /** Every user of the account. */
  list(options?: ListOptions): PageIterator<AccountUser>;
  /** Invite or add a user with an access level. */
  add(body: AddAccountUserRequest, options?: RequestOptions): ApiPromise<AccountUser>;
  /** Changes a member's access, API access, or both. */
  update(uuid: string, body: UpdateAccountUserRequest, options?: RequestOptions): ApiPromise<AccountUser>;
  /** Removes a user from the account (the user stays on their other accounts). */
  remove(uuid: string, options?: RequestOptions): ApiPromise<void>;
}

export function usersApi(r: Requester): UsersApi {
  const path = (uuid: string) => `account/user/${segment(uuid, 'uuid')}`;
  return {
    list: (options) =>
      offsetList(
        r,
        (query) => ({
          method: 'get',
          path: 'account/user',
          query,
          schema: ref('AccountUserPage'),
          endpoint: 'users.list',
        }),
        options,
      ),
    add: (body, options) =>
      r.request(
        { method: 'post', path: 'account/user', body, schema: ref('AccountUser'), endpoint: 'users.add' },
        options,
      ),
    update: (uuid, body, options) =>
      r.request(
        { method: 'patch', path: path(uuid), body, schema: ref('AccountUser'), endpoint: 'users.update' },
        options,
      ),
    remove: (uuid, options) =>
      r.request<void>({ method: 'delete', path: path(uuid), endpoint: 'users.remove' }, options),
  };
}
