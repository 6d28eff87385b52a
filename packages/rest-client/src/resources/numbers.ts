import type {
  InventoryNumber,
  InventorySearchRequest,
  Lease,
  LeaseSearchRequest,
  Order,
  OrderRequest,
  OrderSearchRequest,
  SmsSubscriptionRequest,
  UpdateLeaseRequest,
} from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import { type ListOptions, type Page, PageIterator } from '../paginate.js';
import { type Requester, segment } from '../requester.js';
import { ref } from '../responses.js';
import { offsetList } from './list.js';

/** Filters of the number inventory search; the country is always `US`. */
export type InventorySearch = Omit<InventorySearchRequest, 'country'> & { country?: 'US' };

/** Number orders (`client.numbers.orders`). */
export interface OrdersApi {
  /** One order and the outcome of each number in it. */
  get(uuid: string, options?: RequestOptions): ApiPromise<Order>;
  /** The account's orders, newest first. */
  search(filters?: OrderSearchRequest, options?: ListOptions): PageIterator<Order>;
}

/** Phone numbers: the inventory to buy from, orders, and the numbers this account leases. */
export interface NumbersApi {
  /** Available numbers (`POST /rest/tn/search`). */
  search(filters?: InventorySearch, options?: ListOptions): PageIterator<InventoryNumber>;
  /** Buy numbers; the order continues asynchronously (poll `orders.get`). 402 if the balance is short. */
  order(body: OrderRequest, options?: RequestOptions): ApiPromise<Order>;
  orders: OrdersApi;
  /** This account's numbers (`POST /rest/lease/tn/search`). */
  list(filters?: LeaseSearchRequest, options?: ListOptions): PageIterator<Lease>;
  /** By lease uuid or by number (`+12015550123`). */
  get(idOrTn: string, options?: RequestOptions): ApiPromise<Lease>;
  /** Changes a number's settings: the fields given change, `null` detaches. */
  update(idOrTn: string, body: UpdateLeaseRequest, options?: RequestOptions): ApiPromise<Lease>;
  /** Give the number back; resolves with the released lease. */
  release(idOrTn: string, options?: RequestOptions): ApiPromise<Lease>;
  /** Turns SMS on for a number, optionally in a messaging profile's pool. */
  enableSms(idOrTn: string, body?: SmsSubscriptionRequest, options?: RequestOptions): ApiPromise<Lease>;
  /** Turns SMS off for a number. */
  disableSms(idOrTn: string, options?: RequestOptions): ApiPromise<Lease>;
}

export function numbersApi(r: Requester): NumbersApi {
  const lease = (idOrTn: string) => `lease/tn/${segment(idOrTn, 'idOrTn')}`;
  return {
    // The inventory pages by page/size: take/skip map onto it (skip is rounded down to a page).
    search: (filters = {}, options) =>
      new PageIterator<InventoryNumber>(({ take, skip }, requestOptions) => {
        const page = Math.floor(skip / take) + 1;
        return r.request(
          {
            method: 'post',
            path: 'tn/search',
            query: { page, size: take },
            body: { country: 'US', ...filters },
            schema: ref('InventorySearchResult'),
            endpoint: 'numbers.search',
          },
          requestOptions,
          (result): Page<InventoryNumber> => {
            const start = (page - 1) * take;
            return {
              data: result.data,
              take,
              skip: start,
              total: result.total,
              hasMore: start + result.data.length < result.total,
            };
          },
        );
      }, options),
    order: (body, options) =>
      r.request(
        { method: 'post', path: 'order', body, schema: ref('Order'), endpoint: 'numbers.order' },
        options,
      ),
    orders: {
      get: (uuid, options) =>
        r.request(
          {
            method: 'get',
            path: `order/${segment(uuid, 'uuid')}`,
            schema: ref('Order'),
            endpoint: 'numbers.orders.get',
          },
          options,
        ),
      search: (filters = {}, options) =>
        offsetList(
          r,
          (query) => ({
            method: 'post',
            path: 'order/search',
            query,
            body: filters,
            schema: ref('OrderPage'),
            endpoint: 'numbers.orders.search',
          }),
          options,
        ),
    },
    list: (filters = {}, options) =>
      offsetList(
        r,
        (query) => ({
          method: 'post',
          path: 'lease/tn/search',
          query,
          body: filters,
          schema: ref('LeasePage'),
          endpoint: 'numbers.list',
        }),
        options,
      ),
    get: (idOrTn, options) =>
      r.request(
        { method: 'get', path: lease(idOrTn), schema: ref('Lease'), endpoint: 'numbers.get' },
        options,
      ),
    update: (idOrTn, body, options) =>
      r.request(
        { method: 'patch', path: lease(idOrTn), body, schema: ref('Lease'), endpoint: 'numbers.update' },
        options,
      ),
    release: (idOrTn, options) =>
      r.request(
        { method: 'delete', path: lease(idOrTn), schema: ref('Lease'), endpoint: 'numbers.release' },
        options,
      ),
    enableSms: (idOrTn, body = {}, options) =>
      r.request(
        {
          method: 'post',
          path: `${lease(idOrTn)}/subscription/sms`,
          body,
          schema: ref('Lease'),
          endpoint: 'numbers.enableSms',
        },
        options,
      ),
    disableSms: (idOrTn, options) =>
      r.request(
        {
          method: 'delete',
          path: `${lease(idOrTn)}/subscription/sms`,
          schema: ref('Lease'),
          endpoint: 'numbers.disableSms',
        },
        options,
      ),
  };
}
