import {
  type AuthorizeOptions,
  type AuthStrategy,
  errorFromResponse,
  NetworkError,
  TimeoutError,
} from '@callwire/auth-core';
import ky, {
  type AfterResponseHook,
  type BeforeErrorHook,
  type BeforeRequestHook,
  type Hooks,
  isHTTPError,
  isNetworkError,
  isTimeoutError,
  type KyInstance,
} from 'ky';
import type { ResolvedConfig } from './config.js';

/** Per-request state carried in ky's `context` (a fresh object per call). */
export type CallContext = {
  /** False for the few endpoints outside any account (`/rest/accounts`, `/rest/auth`). */
  scoped: boolean;
  /** Set once the request was retried after a token refresh: a second 401 stands. */
  authRetried?: boolean;
};

const SCOPED: AuthorizeOptions = { accountScoped: true };
const UNSCOPED: AuthorizeOptions = { accountScoped: false };

function describe(request: Request): string {
  const url = new URL(request.url);
  return `${request.method} ${url.pathname}`;
}

function parseData(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** ky's errors become the family of @callwire/auth-core; anything else passes unchanged. */
const mapError: BeforeErrorHook = ({ error, request }) => {
  if (isHTTPError(error)) {
    return errorFromResponse(error.response.status, parseData(error.data), error.response.headers);
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
 * One ky instance per auth strategy (that is, per bound account), built once: each request only runs
 * the hooks below, so the client costs little more than bare ky.
 */
export function createTransport(config: ResolvedConfig, strategy: AuthStrategy): KyInstance {
  // Hot path: for a warm strategy authorize() writes a header and returns a settled promise.
  const authorize: BeforeRequestHook = ({ request, options }) =>
    strategy.authorize(request, (options.context as unknown as CallContext).scoped ? SCOPED : UNSCOPED);

  // After a 401: renew once (auth-core shares one refresh among concurrent callers and reuses a
  // token someone else already renewed), then retry this request once with the new credentials.
  const refreshOn401: AfterResponseHook = ({ request, response, options, retryCount }) => {
    if (response.status !== 401) return;
    const context = options.context as unknown as CallContext;
    if (context.authRetried === true || retryCount >= options.retry.limit) return;
    context.authRetried = true;
    return (async () => {
      const rejected = request.headers.get('authorization') ?? undefined;
      if (!(await strategy.refresh({ rejected }))) return undefined;
      const headers = new Headers(request.headers);
      await strategy.authorize({ headers, url: request.url }, context.scoped ? SCOPED : UNSCOPED);
      // No backoff: the new token is ready now.
      return ky.retry({ request: new Request(request, { headers }), delay: 0, code: 'TOKEN_REFRESHED' });
    })();
  };

  const user: Hooks = config.hooks ?? {};
  const headers: Record<string, string> = { accept: 'application/json' };
  if (config.userAgent !== undefined) headers['user-agent'] = config.userAgent;
  return ky.create({
    headers,
    timeout: config.timeout,
    totalTimeout: config.totalTimeout,
    retry: config.retry.ky,
    ...(config.fetch === undefined ? {} : { fetch: config.fetch as typeof fetch }),
    hooks: {
      init: user.init ?? [],
      beforeRequest: [authorize, ...(user.beforeRequest ?? [])],
      beforeRetry: user.beforeRetry ?? [],
      afterResponse: [refreshOn401, ...(user.afterResponse ?? [])],
      beforeError: [mapError, ...(user.beforeError ?? [])],
    },
  });
}
