import type { AuthStrategy } from '@callwire/auth-core';
import type { Hooks } from 'ky';
import type { ResponseValidation } from './validate.js';

/** When and how long to wait before a failed request is tried again. */
export interface RetryOptions {
  /**
   * Retries after the first attempt (network errors, 429, 5xx, timeouts). Default 2.
   * @defaultValue 2
   */
  limit?: number;
  /**
   * The first backoff ceiling in ms; doubles each retry, with full jitter. Default 500.
   * @defaultValue 500
   */
  baseDelay?: number;
  /**
   * The largest backoff ceiling in ms. Default 8 000.
   * @defaultValue 8 000
   */
  maxDelay?: number;
  /**
   * A `Retry-After` longer than this (ms) is capped to it. Default 60 000.
   * @defaultValue 60 000
   */
  maxRetryAfter?: number;
}

/** Where `validateResponses('warn')` reports a body that does not match. */
export interface ClientLogger {
  /** Called once per endpoint whose response does not match its schema. */
  warn(message: string, details?: Record<string, unknown>): void;
}

/** The options of {@link createClient}. */
export interface ClientOptions {
  /** The API root, e.g. `http://127.0.0.1:8787` (a trailing `/rest` is tolerated). */
  baseUrl: string;
  /** One of @callwire/auth-core's strategies (`createBasicAuth`, `createSessionAuth`, …). */
  auth: AuthStrategy;
  /**
   * Bind every account-scoped request to this account (same as `client.forAccount(id)`).
   * @defaultValue none: a principal with several accounts must use `forAccount`
   */
  accountId?: string;
  /**
   * Per attempt, ms (default 30 000); `false` for none.
   * @defaultValue 30 000
   */
  timeout?: number | false;
  /**
   * For the whole call including retries and backoff, ms (default 120 000); `false` for none.
   * @defaultValue 120 000
   */
  totalTimeout?: number | false;
  /**
   * A number is the retry limit; 0 disables retries (the one retry after a token refresh still happens).
   * @defaultValue `{ limit: 2, baseDelay: 500, maxDelay: 8000, maxRetryAfter: 60000 }`
   */
  retry?: number | RetryOptions;
  /**
   * Checks response bodies against the platform's schemas: pass `validateResponses('strict')` (throws
   * `ResponseValidationError`) or `validateResponses('warn')` (logs once per endpoint) from
   * `@callwire/rest-client/validation`. Without it bodies are returned as the server sent them, and
   * an app bundles neither the schemas nor zod.
   * @defaultValue no validation
   */
  validate?: ResponseValidation;
  /**
   * A fetch implementation; called with a `Request` (ky's way). The auth strategy takes its own.
   * @defaultValue the global `fetch`
   */
  fetch?: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
  /**
   * Extra ky hooks, run after the client's own.
   * @defaultValue none
   */
  hooks?: Hooks;
  /**
   * Sent as `User-Agent` where the platform allows it (not in browsers).
   * @defaultValue none: the platform's own
   */
  userAgent?: string;
  /**
   * Where `validateResponses('warn')` reports a body that does not match.
   * @defaultValue `console`
   */
  logger?: ClientLogger;
}

/** Per call. */
export interface RequestOptions {
  /**
   * Cancels the call: it rejects with the signal's reason.
   * @defaultValue none
   */
  signal?: AbortSignal;
  /**
   * Overrides the client's per-attempt timeout for this call.
   * @defaultValue the client's `timeout`
   */
  timeout?: number | false;
  /**
   * POST only: the `Idempotency-Key` to send (default: a fresh UUID per call, reused by its retries).
   * @defaultValue a fresh UUID per call
   */
  idempotencyKey?: string;
  /**
   * Extra headers for this call.
   * @defaultValue none
   */
  headers?: Record<string, string>;
}
