import type { Account, AccountAccess } from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import type { Requester } from '../requester.js';
import { ref } from '../responses.js';
import { offsetList } from './list.js';

/** The accounts the principal may act on (`client.accounts`). */
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
          schema: ref('AccountAccessList'),
          endpoint: 'accounts.list',
          scoped: false,
        }),
        options,
      ),
    current: (options) =>
      r.request(
        { method: 'get', path: 'account', schema: ref('Account'), endpoint: 'accounts.current' },
        options,
      ),
  };
}
