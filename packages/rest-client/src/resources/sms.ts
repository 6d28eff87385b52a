import type { SendSmsRequest, Sms, SmsSearchRequest } from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import { type Requester, segment } from '../requester.js';
import { ref } from '../responses.js';
import { offsetList } from './list.js';

/** SMS: send, read back, search (`client.sms`). */
export interface SmsApi {
  /**
   * Send an SMS (202: it continues `created → sending → sent → delivered`). Safe to retry: the
   * client sends one `Idempotency-Key` per call, reused by its retries.
   */
  send(body: SendSmsRequest, options?: RequestOptions): ApiPromise<Sms>;
  /** One SMS and where it is in its delivery. */
  get(uuid: string, options?: RequestOptions): ApiPromise<Sms>;
  /** The SMS log, both directions. */
  search(filters?: SmsSearchRequest, options?: ListOptions): PageIterator<Sms>;
}

export function smsApi(r: Requester): SmsApi {
  return {
    send: (body, options) =>
      r.request({ method: 'post', path: 'sms', body, schema: ref('Sms'), endpoint: 'sms.send' }, options),
    get: (uuid, options) =>
      r.request(
        { method: 'get', path: `sms/${segment(uuid, 'uuid')}`, schema: ref('Sms'), endpoint: 'sms.get' },
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
          schema: ref('SmsPage'),
          endpoint: 'sms.search',
        }),
        options,
      ),
  };
}
