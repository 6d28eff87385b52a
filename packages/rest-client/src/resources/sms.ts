import {
  listPayload,
  type SendSmsRequest,
  type Sms,
  SmsSchema,
  type SmsSearchRequest,
} from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import { type Requester, segment } from '../requester.js';
import { offsetList } from './list.js';

const SmsPage = listPayload(SmsSchema);

export interface SmsApi {
  /**
   * Send an SMS (202: it continues `created → sending → sent → delivered`). Safe to retry: the
   * client sends one `Idempotency-Key` per call, reused by its retries.
   */
  send(body: SendSmsRequest, options?: RequestOptions): ApiPromise<Sms>;
  get(uuid: string, options?: RequestOptions): ApiPromise<Sms>;
  /** The SMS log, both directions. */
  search(filters?: SmsSearchRequest, options?: ListOptions): PageIterator<Sms>;
}

export function smsApi(r: Requester): SmsApi {
  return {
    send: (body, options) =>
      r.request({ method: 'post', path: 'sms', body, schema: SmsSchema, endpoint: 'sms.send' }, options),
    get: (uuid, options) =>
      r.request(
        { method: 'get', path: `sms/${segment(uuid, 'uuid')}`, schema: SmsSchema, endpoint: 'sms.get' },
        options,
      ),
    search: (filters = {}, options) =>
      offsetList(
        r,
        (query) => ({
          method: 'post',
          path: 'sms/search',
          query,
          body: filters,
          schema: SmsPage,
          endpoint: 'sms.search',
        }),
        options,
      ),
  };
}
