import type { Batch, CreateBatchRequest } from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import { type Requester, segment } from '../requester.js';
import { ref } from '../responses.js';
import { sleep } from './sleep.js';

/** How `batches.wait` polls. */
export interface WaitOptions {
  /**
   * Called with every polled state, including the last.
   * @defaultValue none
   */
  onProgress?: (batch: Batch) => void;
  /**
   * Between polls, ms (default 1 000).
   * @defaultValue 1 000
   */
  interval?: number;
  /**
   * Stops waiting (rejects with the signal's reason); the batch itself goes on.
   * @defaultValue none: waits until the batch completes or fails
   */
  signal?: AbortSignal;
}

const DONE = new Set<Batch['state']>(['completed', 'failed']);

/** Batches of calls (`client.batches`). */
export interface BatchesApi {
  /** Bulk calls from one number (up to 10 000 phones). */
  create(body: CreateBatchRequest, options?: RequestOptions): ApiPromise<Batch>;
  /** One batch and how far it got. */
  get(uuid: string, options?: RequestOptions): ApiPromise<Batch>;
  /** Polls until the batch is `completed` or `failed` and resolves with that state. */
  wait(uuid: string, options?: WaitOptions): Promise<Batch>;
}

export function batchesApi(r: Requester): BatchesApi {
  const get = (uuid: string, options?: RequestOptions) =>
    r.request(
      {
        method: 'get',
        path: `batch/${segment(uuid, 'uuid')}`,
        schema: ref('Batch'),
        endpoint: 'batches.get',
      },
      options,
    );
  return {
    create: (body, options) =>
      r.request(
        { method: 'post', path: 'batch', body, schema: ref('Batch'), endpoint: 'batches.create' },
        options,
      ),
    get,
    async wait(uuid, options = {}) {
      const interval = options.interval ?? 1_000;
      if (!(interval >= 0)) throw new TypeError('interval must be >= 0 (ms)');
      const { signal } = options;
      for (;;) {
        const batch = await get(uuid, signal === undefined ? undefined : { signal });
        options.onProgress?.(batch);
        if (DONE.has(batch.state)) return batch;
        await sleep(interval, signal);
      }
    },
  };
}
