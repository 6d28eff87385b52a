import type { Call, SimulateCallRequest, SimulateSmsRequest, Sms } from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { Requester } from '../requester.js';
import { ref } from '../responses.js';

/** Inbound traffic on the demo server only (admin access); a real platform answers 404. */
export interface SimulateApi {
  /** An inbound call from `from` to one of this account's numbers. */
  call(body: SimulateCallRequest, options?: RequestOptions): ApiPromise<Call>;
  /** An inbound SMS (`smsi`) to one of this account's numbers. */
  sms(body: SimulateSmsRequest, options?: RequestOptions): ApiPromise<Sms>;
}

export function simulateApi(r: Requester): SimulateApi {
  return {
    call: (body, options) =>
      r.request(
        { method: 'post', path: 'simulate/call', body, schema: ref('Call'), endpoint: 'simulate.call' },
        options,
      ),
    sms: (body, options) =>
      r.request(
        { method: 'post', path: 'simulate/sms', body, schema: ref('Sms'), endpoint: 'simulate.sms' },
        options,
      ),
  };
}
