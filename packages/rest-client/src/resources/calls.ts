import type {
  BridgeCallsRequest,
  Call,
  CallSearchRequest,
  CreateCallRequest,
  Originate,
  OriginateRequest,
  RapidResponse,
  RapidResponseRequest,
} from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import { type Requester, segment } from '../requester.js';
import { ref } from '../responses.js';
import { offsetList } from './list.js';

/** Both legs after `calls.bridge`. */
export interface BridgeResult {
  call_a: Call;
  call_b: Call;
}

/** Calls on the account's numbers (`client.calls`). */
export interface CallsApi {
  /** Dial out (202, state `init`); follow it with events or `get`. */
  create(body: CreateCallRequest, options?: RequestOptions): ApiPromise<Call>;
  /** One call, with the time it entered each state. */
  get(uuid: string, options?: RequestOptions): ApiPromise<Call>;
  /** Hangs up a call; resolves with the call as it is then. */
  hangup(uuid: string, options?: RequestOptions): ApiPromise<Call>;
  /** Connect two live calls of this account. */
  bridge(body: BridgeCallsRequest, options?: RequestOptions): ApiPromise<BridgeResult>;
  /** The call log (CDR). */
  search(filters?: CallSearchRequest, options?: ListOptions): PageIterator<Call>;
  /** Click-to-call: dials `caller`, then `callee` once answered, and bridges them. */
  originate(body: OriginateRequest, options?: RequestOptions): ApiPromise<Originate>;
  /** Queue a call to a lead with a whisper for the agent; the same callee within 1 h is a ConflictError. */
  rapidResponse(body: RapidResponseRequest, options?: RequestOptions): ApiPromise<RapidResponse>;
}

export function callsApi(r: Requester): CallsApi {
  const one = (uuid: string) => `call/${segment(uuid, 'uuid')}`;
  return {
    create: (body, options) =>
      r.request(
        { method: 'post', path: 'call', body, schema: ref('Call'), endpoint: 'calls.create' },
        options,
      ),
    get: (uuid, options) =>
      r.request({ method: 'get', path: one(uuid), schema: ref('Call'), endpoint: 'calls.get' }, options),
    hangup: (uuid, options) =>
      r.request(
        {
          method: 'post',
          path: `${one(uuid)}/hangup`,
          body: {},
          schema: ref('Call'),
          endpoint: 'calls.hangup',
        },
        options,
      ),
    bridge: (body, options) =>
      r.request(
        { method: 'post', path: 'call/bridge', body, schema: ref('Bridge'), endpoint: 'calls.bridge' },
        options,
      ),
    search: (filters = {}, options) =>
      offsetList(
        r,
        (query) => ({
          method: 'post',
          path: 'call/search',
          query,
          body: filters,
          schema: ref('CallPage'),
          endpoint: 'calls.search',
        }),
        options,
      ),
    originate: (body, options) =>
      r.request(
        {
          method: 'post',
          path: 'voice/originate',
          body,
          schema: ref('Originate'),
          endpoint: 'calls.originate',
        },
        options,
      ),
    rapidResponse: (body, options) =>
      r.request(
        {
          method: 'post',
          path: 'voice/rapidresponse',
          body,
          schema: ref('RapidResponse'),
          endpoint: 'calls.rapidResponse',
        },
        options,
      ),
  };
}
