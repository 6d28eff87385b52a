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
 * A global onRequest hook puts Allow-Origin / Expose-Headers on every answer to an allowed origin
 * (errors and 404s too: a browser app must be able to read a 401's WWW-Authenticate). Preflights are
 * answered by an `OPTIONS *` route outside `/rest`, so they never run authentication, rate limits
 * or idempotency. A disallowed origin simply gets no CORS headers: the browser refuses, not us.
 * Install before the routes are registered.
 */
export function installCors(app: FastifyInstance, origins: CorsOrigins): void {
  const list = origins === '*' ? undefined : new Set(origins);

  const allowedOrigin = (request: FastifyRequest): string | undefined => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || origin === '') return undefined;
    if (list === undefined) return '*';
    return list.has(origin) ? origin : undefined;
  };

  // With a list the answer depends on Origin, so caches must keep one copy per origin.
  const varyOnOrigin = (reply: FastifyReply) => {
    if (list !== undefined) reply.header('vary', 'Origin');
  };

  app.addHook('onRequest', (request, reply, done) => {
    varyOnOrigin(reply);
    const origin = allowedOrigin(request);
    if (origin !== undefined) {
      reply.header('access-control-allow-origin', origin);
      if (request.method !== 'OPTIONS') reply.header('access-control-expose-headers', CORS_EXPOSE_HEADERS);
    }
    done();
  });

  app.options(
    '*',
    { config: { auth: 'none' }, schema: { hide: true } },
    (request: FastifyRequest, reply: FastifyReply) => {
      const preflight =
        allowedOrigin(request) !== undefined &&
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
