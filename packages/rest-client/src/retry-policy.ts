import type { RetryOptions as KyRetryOptions } from 'ky';
import type { RetryOptions } from './options.js';

/**
 * POST and PATCH are retried too: every POST carries an `Idempotency-Key` (the server replays the
 * first response for a repeated key), and PATCH bodies here set fields, so a repeat changes nothing.
 */
const METHODS = ['get', 'head', 'put', 'delete', 'options', 'post', 'patch'];
// 413 is the caller's problem, never retried; 408 is a server-side timeout.
const STATUS_CODES = [408, 429, 500, 502, 503, 504];

export interface ResolvedRetry {
  limit: number;
  ky: KyRetryOptions;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a finite number >= 0`);
  }
  return value;
}

/**
 * ky's retry options for the client's policy: full-jitter exponential backoff, `Retry-After`
 * honoured on 429/503 (ky skips jitter when the server names a time). ky counts the one retry after
 * a token renewal against the same limit, so its limit is one more than the caller's; the
 * transport's `shouldRetry` stops ordinary retries at the caller's limit.
 */
export function resolveRetry(option: number | RetryOptions | undefined): ResolvedRetry {
  const options: RetryOptions = typeof option === 'number' ? { limit: option } : (option ?? {});
  const limit = nonNegative(options.limit, 2, 'retry.limit');
  if (!Number.isInteger(limit)) throw new TypeError('retry.limit must be an integer');
  const baseDelay = nonNegative(options.baseDelay, 500, 'retry.baseDelay');
  const maxDelay = nonNegative(options.maxDelay, 8_000, 'retry.maxDelay');
  const maxRetryAfter = nonNegative(options.maxRetryAfter, 60_000, 'retry.maxRetryAfter');
  return {
    limit,
    ky: {
      limit: limit + 1,
      methods: METHODS,
      statusCodes: STATUS_CODES,
      afterStatusCodes: [429, 503],
      maxRetryAfter,
      backoffLimit: maxDelay,
      delay: (attempt) => baseDelay * 2 ** (attempt - 1),
      jitter: true,
      retryOnTimeout: true,
    },
  };
}
