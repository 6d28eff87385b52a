import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ServerContext } from '../context.js';
import { registerConsoleRoutes } from './console-routes.js';

/** Health, readiness, the OpenAPI document and the live console page. */
export async function registerSystemRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ success: true, payload: { status: 'ok' } }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (closing)
      return reply.code(503).send({
        success: false,
        status: 503,
        code: 'unavailable',
        message: 'shutting down',
        request_id: _request.id,
      });
    try {
      await sql`select 1`.execute(ctx.db);
    } catch {
      return reply.code(503).send({
        success: false,
        status: 503,
        code: 'unavailable',
        message: 'database unreachable',
        request_id: _request.id,
      });
    }
    return { success: true, payload: { status: 'ready', database: ctx.dialect } };
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerConsoleRoutes(app, ctx);
}
