import { isCallwireError } from './errors/callwire-error.js';
import { NetworkError, TimeoutError } from './errors/classes.js';
import { readEnvelope } from './kit/envelope.js';

/** A `fetch` as the strategies call it: a URL string and `RequestInit`. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpContext {
  baseUrl: string;
  fetch: FetchLike;
  /** Per request, in ms. */
  timeout: number;
}

export interface CallOptions {
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
  authorization?: string;
}

export function normalizeBaseUrl(baseUrl: unknown, optionName = 'baseUrl'): string {
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl)) {
    throw new TypeError(`${optionName} must be an absolute URL such as http://127.0.0.1:8787`);
  }
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`${optionName} must be http(s)`);
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(`${optionName} must not carry credentials; pass them as options`);
  }
  // Everything up to the API root; `/rest/...` paths are appended. A trailing `/rest` is tolerated.
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/rest$/, '')}`;
}

/** The API root in front of `/rest/` in a request URL, for strategies given no baseUrl. */
export function baseUrlFromRequest(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const index = url.indexOf('/rest/');
  return index > 0 && URL.canParse(url) ? url.slice(0, index) : undefined;
}

export function defaultFetch(): FetchLike {
  if (typeof globalThis.fetch !== 'function') {
    throw new TypeError('No global fetch: pass the `fetch` option');
  }
  return (input, init) => globalThis.fetch(input, init);
}

/** One JSON call to the API; unwraps `{success, payload}` and throws the error family otherwise. */
export async function callApi(http: HttpContext, options: CallOptions): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const url = `${http.baseUrl}${options.path}`;
  let response: Response;
  try {
    // Called unbound on purpose: a browser's `window.fetch` throws "Illegal invocation" as a method of another object.
    const fetchFn = http.fetch;
    response = await fetchFn(url, {
      method: options.method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(http.timeout),
    });
  } catch (cause) {
    if (isCallwireError(cause)) throw cause;
    const name = (cause as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError') {
      throw new TimeoutError({
        message: `${options.method} ${options.path} took longer than ${http.timeout} ms`,
        cause,
      });
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new NetworkError({ message: `${options.method} ${options.path} failed: ${reason}`, cause });
  }
  return readEnvelope(response);
}
