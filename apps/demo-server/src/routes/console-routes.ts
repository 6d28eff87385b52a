import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { type ConsoleFile, defaultConsoleDir, loadConsoleFiles } from './console-files.js';
import { consolePage } from './console-page.js';

/**
 * The page may load only what this server serves and talk only to it (REST and the websocket);
 * nothing inline, no eval, no frames. The console is built to need nothing more.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function send(request: FastifyRequest, reply: FastifyReply, file: ConsoleFile, cacheControl: string) {
  reply
    .header('content-type', file.type)
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding');
  const accepts = request.headers['accept-encoding'];
  if (file.gzip !== undefined && typeof accepts === 'string' && /\bgzip\b/.test(accepts)) {
    return reply.header('content-encoding', 'gzip').send(file.gzip);
  }
  return reply.send(file.body);
}

/**
 * The live console at `/`: the built web app (index.html and hashed assets under /assets/). When
 * the server runs without a console build, `/` shows a small page that says so, lists the demo
 * users and signs in to show raw events, so the server stays usable.
 */
export function registerConsoleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const files = loadConsoleFiles(ctx.config.consoleDir ?? defaultConsoleDir());
  const index = files?.get('/index.html');
  if (files === undefined || index === undefined) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(consolePage(ctx)),
    );
    return;
  }
  const html = async (request: FastifyRequest, reply: FastifyReply) => {
    reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY');
    // index.html names the current asset hashes: always revalidate it.
    return send(request, reply, index, 'no-cache');
  };
  app.get('/', { schema: { hide: true } }, html);
  app.get('/index.html', { schema: { hide: true } }, html);
  app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const path = `/assets/${(request.params as { '*': string })['*']}`;
    const file = files.get(path);
    if (file === undefined) return reply.callNotFound();
    // Asset names carry a hash of their content, so they never change: cache them for a year.
    return send(request, reply, file, 'public, max-age=31536000, immutable');
  });
}
