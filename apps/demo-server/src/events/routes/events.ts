import { EventBackfillQuerySchema, EventPageSchema, successEnvelope } from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { accountOf } from '../../http/request-context.js';
import { ok, REQUEST_ERRORS } from '../../http/route-kit.js';
import { readEventPage } from '../backfill.js';
import type { EventService } from '../event-service.js';

/** `GET /rest/event`: read retained events back (the backfill for a websocket gap). */
export function eventRoutes<DB>(events: EventService<DB>): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/rest/event',
      {
        config: { scoped: true },
        schema: {
          tags: ['events'],
          summary: 'Retained events after a seq, in seq order',
          description:
            'Events are kept at least 24 h. `recovered: false` means events right after `after_seq` are no longer ' +
            'retained. Page on with `after_seq` = the last returned seq while `has_more` is true.',
          querystring: EventBackfillQuerySchema,
          response: { 200: successEnvelope(EventPageSchema), ...REQUEST_ERRORS },
        },
      },
      async (request) => {
        const { after_seq, types, take } = request.query;
        return ok(await readEventPage(events, accountOf(request).id, { after_seq, types, take }));
      },
    );
  };
}
