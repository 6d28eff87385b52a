import { type Account, type AccountAccess, AccountAccessSchema, AccountSchema } from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import type { Requester } from '../requester.js';
import { offsetList } from './list.js';

const AccountAccessList = AccountAccessSchema.array();

export interface AccountsApi {
  /** Every account this principal may act on (`GET /rest/accounts`; not account-scoped). */
  list(options?: ListOptions): PageIterator<AccountAccess>;
  /** The account requests run under (`GET /rest/account`). */
  current(options?: RequestOptions): ApiPromise<Account>;
}

export function accountsApi(r: Requester): AccountsApi {
  return {
    list: (options) =>
      offsetList(
        r,
        () => ({
          method: 'get',
          path: 'accounts',
          schema: AccountAccessList,
          endpoint: 'accounts.list',
          scoped: false,
        }),
        options,
      ),
    current: (options) =>
      r.request(
        { method: 'get', path: 'account', schema: AccountSchema, endpoint: 'accounts.current' },
        options,
      ),
  };
}
