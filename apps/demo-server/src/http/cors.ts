import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * CORS for browser developers calling the server from their own dev origin (a Vite app on
 * http://localhost:5173). Auth is by header, never by cookie, so `Access-Control-Allow-Credentials`
 * is never sent: that is what makes the default `*` safe for a local dev server.
 */
export type CorsOrigins = '*' | readonly string[];

export const CORS_ALLOW_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
export const CORS_ALLOW_HEADERS =
  'authorization, content-type, idempotency-key, x-account-id, x-auth-token, x-request-id';
export const CORS_EXPOSE_HEADERS =
  'x-request-id, x-account-id, idempotent-replayed, retry-after, www-authenticate';
/** Seconds a browser may cache a preflight (Chromium caps it at 2 h anyway). */
export const CORS_MAX_AGE = 600;

/**
 * Which origins may read the answers. `apply` puts Allow-Origin / Expose-Headers on an answer to an
 * allowed origin; the route pipeline calls it first thing for every routed request, and the
 * not-found handler for the rest, so errors and 404s carry them too (a browser app must be able to
 * read a 401's WWW-Authenticate). A disallowed origin simply gets no CORS headers: the browser
 * refuses, not us.
 */
export class CorsPolicy {
  readonly #list: ReadonlySet<string> | undefined;

  constructor(origins: CorsOrigins) {
    this.#list = origins === '*' ? undefined : new Set(origins);
  }

  /** The Allow-Origin value for this request, or undefined when its origin may not read answers. */
  allowedOrigin(request: FastifyRequest): string | undefined {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || origin === '') return undefined;
    if (this.#list === undefined) return '*';
    return this.#list.has(origin) ? origin : undefined;
  }

  apply(request: FastifyRequest, reply: FastifyReply): void {
    // With a list the answer depends on Origin, so caches must keep one copy per origin.
    if (this.#list !== undefined) reply.header('vary', 'Origin');
    const origin = this.allowedOrigin(request);
    if (origin !== undefined) {
      reply.header('access-control-allow-origin', origin);
      if (request.method !== 'OPTIONS') reply.header('access-control-expose-headers', CORS_EXPOSE_HEADERS);
    }
  }
}

/**
 * Preflights are answered by an `OPTIONS *` route outside `/rest`, so they never run
 * authentication, rate limits or idempotency. Register after the route pipeline is installed.
 */
export function installPreflight(app: FastifyInstance, cors: CorsPolicy): void {
  app.options(
    '*',
    { config: { auth: 'none' }, schema: { hide: true } },
    (request: FastifyRequest, reply: FastifyReply) => {
      const preflight =
        cors.allowedOrigin(request) !== undefined &&
        typeof request.headers['access-control-request-method'] === 'string';
      if (preflight) {
        reply.header('access-control-allow-methods', CORS_ALLOW_METHODS);
        reply.header('access-control-allow-headers', CORS_ALLOW_HEADERS);
        reply.header('access-control-max-age', String(CORS_MAX_AGE));
      }
      reply.code(204).send();
    },
  );
}
