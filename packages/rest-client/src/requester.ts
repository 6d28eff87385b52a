import { envelopePayload } from '@callwire/auth-core';
import type { KyInstance, Options } from 'ky';
import { ApiPromise, type RawResult } from './api-promise.js';
import type { ResolvedConfig } from './config.js';
import { ResponseValidationError } from './errors.js';
import { newIdempotencyKey } from './idempotency-key.js';
import type { RequestOptions } from './options.js';
import type { SchemaRef } from './responses.js';
import type { CallContext } from './transport.js';

/** The HTTP methods the API uses. */
export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
/** Query parameters; `undefined` values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

export interface Call<T> {
  method: Method;
  /** Under `/rest/`, without a leading slash; ids already encoded (see `segment`). */
  path: string;
  query?: Query | undefined;
  body?: unknown;
  /** Names the schema that validates the unwrapped payload; omitted for bodiless answers. */
  schema?: SchemaRef<T> | undefined;
  /** Names the endpoint in validation errors and logs (`numbers.get`). */
  endpoint: string;
  /** Default true: the request runs inside one account, so the multi-account guard applies. */
  scoped?: boolean;
}

export interface Requester {
  readonly config: ResolvedConfig;
  request<T>(call: Call<T>, options?: RequestOptions): ApiPromise<T>;
  /** The same, with the validated payload turned into what the method returns (a Page, …). */
  request<T, R>(call: Call<T>, options: RequestOptions | undefined, transform: (data: T) => R): ApiPromise<R>;
}

/** A path segment from a caller's id: encoded, and refused when empty (it would hit the list). */
export function segment(value: string, name = 'id'): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`${name} must be a non-empty string`);
  return encodeURIComponent(value);
}

export function createRequester(config: ResolvedConfig, http: KyInstance): Requester {
  const { restRoot, validator } = config;

  async function run<T>(call: Call<T>, options: RequestOptions | undefined): Promise<RawResult<T>> {
    const context: CallContext = { scoped: call.scoped !== false };
    const init: Options = { method: call.method, context };
    if (call.query !== undefined) init.searchParams = call.query;
    if (call.body !== undefined) init.json = call.body;
    if (options !== undefined) {
      if (options.signal !== undefined) init.signal = options.signal;
      if (options.timeout !== undefined) init.timeout = options.timeout;
      if (options.headers !== undefined) init.headers = options.headers;
    }
    if (call.method === 'post') {
      // Chosen once per call: ky's retries reuse this request, so a repeated POST carries the same key
      // and the server replays the first answer instead of acting twice.
      init.headers = { ...init.headers, 'idempotency-key': options?.idempotencyKey ?? newIdempotencyKey() };
    }
    const pending = http(restRoot + call.path, init);
    const response = await pending;
    // Through ky's `.text()`, so the per-attempt and total timeouts also bound reading the body.
    const text = response.status === 204 ? '' : await pending.text();
    let payload: unknown;
    if (text.length > 0) {
      try {
        payload = envelopePayload(JSON.parse(text));
      } catch {
        throw new ResponseValidationError({
          endpoint: call.endpoint,
          issues: [{ path: [], message: 'the body is not JSON' }],
          status: response.status,
          requestId: response.headers.get('x-request-id') ?? undefined,
        });
      }
    }
    return { data: validator.check(call.schema, payload, call.endpoint, response), response };
  }

  return {
    config,
    request<T, R>(call: Call<T>, options?: RequestOptions, transform?: (data: T) => R): ApiPromise<R> {
      const result = run(call, options);
      if (transform === undefined) return new ApiPromise(result as unknown as Promise<RawResult<R>>);
      return new ApiPromise(result.then(({ data, response }) => ({ data: transform(data), response })));
    },
  };
}
