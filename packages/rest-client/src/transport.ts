import {
  type AuthorizeOptions,
  type AuthStrategy,
  errorFromResponse,
  NetworkError,
  parseBody,
  TimeoutError,
} from '@callwire/auth-core';
import ky, {
  type BeforeErrorHook,
  type BeforeRequestHook,
  type BeforeRetryHook,
  type Hooks,
  isHTTPError,
  isNetworkError,
  isTimeoutError,
  type KyInstance,
  type RetryOptions,
} from 'ky';
import type { ResolvedConfig } from './config.js';

/** Per-request state carried in ky's `context` (a fresh object per call). */
export type CallContext = {
  /** False for the few endpoints outside any account (`/rest/accounts`, `/rest/auth`). */
  scoped: boolean;
  /** Set once the request was retried after a renewal: a second 401 stands. */
  authRetried?: boolean;
};

const SCOPED: AuthorizeOptions = { accountScoped: true };
const UNSCOPED: AuthorizeOptions = { accountScoped: false };

function describe(request: Request): string {
  const url = new URL(request.url);
  return `${request.method} ${url.pathname}`;
}

/** ky's errors become the family of @callwire/auth-core; anything else passes unchanged. */
const mapError: BeforeErrorHook = ({ error, request }) => {
  if (isHTTPError(error)) {
    return errorFromResponse(
      error.response.status,
      typeof error.data === 'string' ? parseBody(error.data) : error.data,
      error.response.headers,
    );
  }
  if (isTimeoutError(error)) {
    return new TimeoutError({ message: `${describe(request)} timed out`, cause: error });
  }
  if (isNetworkError(error)) {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    return new NetworkError({ message: `${describe(request)} failed: ${reason}`, cause: error });
  }
  return error;
};

/**
 * One ky instance per auth strategy (that is, per bound account), built once: a request only runs
 * the `authorize` hook on its way out, so the client costs little more than bare ky.
 *
 * The renewal after a 401 rides on ky's retry machinery (`shouldRetry` renews, `beforeRetry` puts
 * the new credentials on the retried request) rather than on an `afterResponse` hook returning
 * `ky.retry()`: ky clones every response for each `afterResponse` hook, which measured ~20% of a
 * loopback GET, paid on every request for an event that happens once per token lifetime.
 */
export function createTransport(config: ResolvedConfig, strategy: AuthStrategy): KyInstance {
  // Hot path: for a warm strategy authorize() writes a header and returns a settled promise.
  const authorize: BeforeRequestHook = ({ request, options }) =>
    strategy.authorize(request, (options.context as unknown as CallContext).scoped ? SCOPED : UNSCOPED);

  const { limit } = config.retry;
  // After a 401: renew once per request (auth-core shares one refresh among concurrent callers and
  // reuses a token someone else already renewed); a second 401 stands. Other failures follow the
  // caller's retry limit (ky's own limit is one higher, to leave room for this retry).
  const shouldRetry: NonNullable<RetryOptions['shouldRetry']> = async ({ error, retryCount }) => {
    if (isHTTPError(error) && error.response.status === 401) {
      const context = error.options.context as unknown as CallContext;
      if (context.authRetried === true) return false;
      context.authRetried = true;
      return strategy.refresh({ rejected: error.request.headers.get('authorization') ?? undefined });
    }
    return retryCount > limit ? false : undefined;
  };
  const reauthorize: BeforeRetryHook = ({ request, error, options }) => {
    if (!isHTTPError(error) || error.response.status !== 401) return;
    return strategy.authorize(
      request,
      (options.context as unknown as CallContext).scoped ? SCOPED : UNSCOPED,
    );
  };

  const user: Hooks = config.hooks ?? {};
  const headers: Record<string, string> = { accept: 'application/json' };
  if (config.userAgent !== undefined) headers['user-agent'] = config.userAgent;
  return ky.create({
    headers,
    timeout: config.timeout,
    totalTimeout: config.totalTimeout,
    retry: { ...config.retry.ky, statusCodes: [401, ...(config.retry.ky.statusCodes ?? [])], shouldRetry },
    ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
    hooks: {
      init: user.init ?? [],
      beforeRequest: [authorize, ...(user.beforeRequest ?? [])],
      beforeRetry: [reauthorize, ...(user.beforeRetry ?? [])],
      afterResponse: user.afterResponse ?? [],
      beforeError: [mapError, ...(user.beforeError ?? [])],
    },
  });
}
