import {
  CreateEventSubscriptionRequestSchema,
  DeliveryListQuerySchema,
  EventSubscriptionSchema,
  listPayload,
  PaginationQuerySchema,
  successEnvelope,
  UpdateEventSubscriptionRequestSchema,
  UuidSchema,
  WebhookDeliverySchema,
} from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoTime } from '../../db/time.js';
import { ApiError, notFound } from '../../http/api-error.js';
import { accountOf, principalOf } from '../../http/request-context.js';
import { errorResponses, ok, REQUEST_ERRORS } from '../../http/route-kit.js';
import { principalRef } from '../../identity/auth/principal.js';
import * as subs from '../../webhooks/subscription-store.js';
import type { EventsDb } from '../event-store.js';

/** Every subscription route may also answer 404 (an unknown subscription). */
const errors = { ...REQUEST_ERRORS, ...errorResponses(404) };
const Params = z.strictObject({ uuid: UuidSchema });

export interface SubscriptionRouteDeps {
  db: EventsDb;
  now: () => number;
  /**
   * A `wss` subscription changed: apply it to its user's sockets on every instance. Awaited before
   * answering, so that events committed after the response are seen by the changed subscription.
   */
  wssChanged: (row: subs.SubscriptionRow) => Promise<void>;
}

/**
 * `/rest/event/subscription`: `wss` subscriptions (they apply to every socket of the user who made
 * them) and signed `webhook` subscriptions, whose `signing_secret` is shown once, in the create
 * response. Reading needs viewer access to the account, changing needs manager access.
 */
export function subscriptionRoutes(deps: SubscriptionRouteDeps): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const { db } = deps;
    const nowIso = () => isoTime(deps.now());

    async function load(accountId: string, uuid: string) {
      const row = await subs.getSubscription(db, accountId, uuid);
      if (row === undefined) throw notFound('event subscription');
      return row;
    }

    app.get(
      '/rest/event/subscription',
      {
        config: { scoped: true },
        schema: {
          tags: ['events'],
          summary: 'Event subscriptions of this account',
          querystring: PaginationQuerySchema,
          response: { 200: successEnvelope(listPayload(EventSubscriptionSchema)), ...errors },
        },
      },
      async (request) => {
        const { take, skip } = request.query;
        const { total, rows } = await subs.listSubscriptions(db, accountOf(request).id, take, skip);
        return ok({ take, skip, total, data: rows.map((r) => subs.toSubscription(r)) });
      },
    );

    app.post(
      '/rest/event/subscription',
      {
        config: { access: 'manager' },
        schema: {
          tags: ['events'],
          summary: 'Subscribe to events over the websocket (wss) or a signed webhook',
          description:
            'A webhook subscription returns its `signing_secret` once, here. Deliveries are signed ' +
            '`Callwire-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`.',
          body: CreateEventSubscriptionRequestSchema,
          response: { 201: successEnvelope(EventSubscriptionSchema), ...errors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const body = request.body;
        const row = await subs.createSubscription(
          db,
          {
            accountId: accountOf(request).id,
            userId: principal.kind === 'user' ? principal.user.uuid : null,
            createdBy: principalRef(principal),
            channel: body.channel,
            types: body.types,
            url: body.url ?? null,
            isActive: body.is_active,
            expiredOn: body.expired_on === undefined ? null : isoTime(Date.parse(body.expired_on)),
          },
          nowIso(),
        );
        if (row.channel === 'wss') await deps.wssChanged(row);
        return reply.code(201).send(ok(subs.toSubscription(row, true)));
      },
    );

    app.get(
      '/rest/event/subscription/:uuid',
      {
        config: { scoped: true },
        schema: {
          tags: ['events'],
          summary: 'One event subscription',
          params: Params,
          response: { 200: successEnvelope(EventSubscriptionSchema), ...errors },
        },
      },
      async (request) => ok(subs.toSubscription(await load(accountOf(request).id, request.params.uuid))),
    );

    app.patch(
      '/rest/event/subscription/:uuid',
      {
        config: { access: 'manager' },
        schema: {
          tags: ['events'],
          summary: 'Change an event subscription (types, url, is_active, expired_on)',
          params: Params,
          body: UpdateEventSubscriptionRequestSchema,
          response: { 200: successEnvelope(EventSubscriptionSchema), ...errors },
        },
      },
      async (request) => {
        const row = await load(accountOf(request).id, request.params.uuid);
        const patch = request.body;
        if (patch.url !== undefined && row.channel !== 'webhook') {
          throw new ApiError('validation_failed', 'Only a webhook subscription has a url', {
            fields: { 'body.url': { message: 'only for webhook subscriptions' } },
          });
        }
        const next = await subs.updateSubscription(
          db,
          row,
          {
            ...patch,
            expired_on:
              patch.expired_on === undefined || patch.expired_on === null
                ? patch.expired_on
                : isoTime(Date.parse(patch.expired_on)),
          },
          nowIso(),
        );
        if (next.channel === 'wss') await deps.wssChanged(next);
        return ok(subs.toSubscription(next));
      },
    );

    app.delete(
      '/rest/event/subscription/:uuid',
      {
        config: { access: 'manager' },
        schema: {
          tags: ['events'],
          summary: 'Delete an event subscription (pending webhook deliveries are dropped)',
          params: Params,
          response: { 204: z.null().describe('Deleted'), ...errors },
        },
      },
      async (request, reply) => {
        const row = await load(accountOf(request).id, request.params.uuid);
        const now = nowIso();
        await subs.deleteSubscription(db, row, now);
        if (row.channel === 'wss') await deps.wssChanged({ ...row, deleted_on: now, is_active: 0 });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/rest/event/subscription/:uuid/deliveries',
      {
        config: { scoped: true },
        schema: {
          tags: ['events'],
          summary: "A webhook subscription's deliveries, newest first, with every attempt",
          params: Params,
          querystring: DeliveryListQuerySchema,
          response: { 200: successEnvelope(listPayload(WebhookDeliverySchema)), ...errors },
        },
      },
      async (request) => {
        const row = await load(accountOf(request).id, request.params.uuid);
        const { take, skip, state } = request.query;
        const { total, data } = await subs.listDeliveries(db, row.uuid, { take, skip, state });
        return ok({ take, skip, total, data });
      },
    );
  };
}
