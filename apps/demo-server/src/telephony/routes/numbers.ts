import {
  CreateTnProfileRequestSchema,
  InventorySearchQuerySchema,
  InventorySearchRequestSchema,
  InventorySearchResultSchema,
  LeaseSchema,
  LeaseSearchRequestSchema,
  listPayload,
  NumberListEditRequestSchema,
  OrderRequestSchema,
  OrderSchema,
  OrderSearchRequestSchema,
  PaginationQuerySchema,
  SmsSubscriptionRequestSchema,
  TnProfileSchema,
  UpdateLeaseRequestSchema,
  UpdateTnProfileRequestSchema,
} from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { READ, sendOk, typed, WRITE } from '../../http/route-kit.js';
import type { Telephony } from '../telephony.js';
import { accountId, doc, IdOrTnParams, UuidParams } from './shared.js';

const ListParams = z.strictObject({ uuid: z.uuid(), list: z.enum(['blacklist', 'whitelist']) });

/** Numbers: inventory search, orders, leases, SMS subscription, TN profiles. */
export function numbersRoutes(telephony: Telephony): FastifyPluginAsync {
  return async (fastify) => {
    const app = typed(fastify);

    app.post(
      '/rest/tn/search',
      {
        config: READ,
        schema: {
          ...doc('numbers', 200, InventorySearchResultSchema),
          querystring: InventorySearchQuerySchema,
          body: z.optional(InventorySearchRequestSchema),
        },
      },
      async (req, reply) => {
        const body = InventorySearchRequestSchema.parse(req.body ?? {});
        return sendOk(
          reply,
          await telephony.numbers.searchInventory(body, { page: req.query.page, size: req.query.size }),
        );
      },
    );

    app.post(
      '/rest/order',
      { config: WRITE, schema: { ...doc('numbers', 202, OrderSchema, [402]), body: OrderRequestSchema } },
      async (req, reply) =>
        sendOk(reply, await telephony.orders.createOrder(accountId(req), req.body.items), 202),
    );
    app.get(
      '/rest/order/:uuid',
      { config: READ, schema: { ...doc('numbers', 200, OrderSchema), params: UuidParams } },
      async (req, reply) => sendOk(reply, await telephony.orders.getOrder(accountId(req), req.params.uuid)),
    );
    app.post(
      '/rest/order/search',
      {
        config: READ,
        schema: {
          ...doc('numbers', 200, listPayload(OrderSchema)),
          querystring: PaginationQuerySchema,
          body: z.optional(OrderSearchRequestSchema),
        },
      },
      async (req, reply) =>
        sendOk(reply, await telephony.orders.searchOrders(accountId(req), req.body ?? {}, req.query)),
    );

    app.post(
      '/rest/lease/tn/search',
      {
        config: READ,
        schema: {
          ...doc('numbers', 200, listPayload(LeaseSchema)),
          querystring: PaginationQuerySchema,
          body: z.optional(LeaseSearchRequestSchema),
        },
      },
      async (req, reply) =>
        sendOk(reply, await telephony.leases.searchLeases(accountId(req), req.body ?? {}, req.query)),
    );
    app.get(
      '/rest/lease/tn/:id',
      { config: READ, schema: { ...doc('numbers', 200, LeaseSchema), params: IdOrTnParams } },
      async (req, reply) => sendOk(reply, await telephony.leases.getLease(accountId(req), req.params.id)),
    );
    app.patch(
      '/rest/lease/tn/:id',
      {
        config: WRITE,
        schema: { ...doc('numbers', 200, LeaseSchema), params: IdOrTnParams, body: UpdateLeaseRequestSchema },
      },
      async (req, reply) =>
        sendOk(reply, await telephony.leases.updateLease(accountId(req), req.params.id, req.body)),
    );
    app.delete(
      '/rest/lease/tn/:id',
      { config: WRITE, schema: { ...doc('numbers', 200, LeaseSchema), params: IdOrTnParams } },
      async (req, reply) => sendOk(reply, await telephony.leases.releaseLease(accountId(req), req.params.id)),
    );
    app.post(
      '/rest/lease/tn/:id/subscription/sms',
      {
        config: WRITE,
        schema: {
          ...doc('numbers', 200, LeaseSchema, [409]),
          params: IdOrTnParams,
          body: z.optional(SmsSubscriptionRequestSchema),
        },
      },
      async (req, reply) =>
        sendOk(
          reply,
          await telephony.leases.setSms(accountId(req), req.params.id, true, req.body?.messaging_profile),
        ),
    );
    app.delete(
      '/rest/lease/tn/:id/subscription/sms',
      { config: WRITE, schema: { ...doc('numbers', 200, LeaseSchema), params: IdOrTnParams } },
      async (req, reply) =>
        sendOk(reply, await telephony.leases.setSms(accountId(req), req.params.id, false)),
    );

    app.get(
      '/rest/profile/tn',
      {
        config: READ,
        schema: { ...doc('numbers', 200, listPayload(TnProfileSchema)), querystring: PaginationQuerySchema },
      },
      async (req, reply) =>
        sendOk(reply, await telephony.tnProfiles.listTnProfiles(accountId(req), req.query)),
    );
    app.post(
      '/rest/profile/tn',
      {
        config: WRITE,
        schema: { ...doc('numbers', 201, TnProfileSchema), body: CreateTnProfileRequestSchema },
      },
      async (req, reply) =>
        sendOk(reply, await telephony.tnProfiles.createTnProfile(accountId(req), req.body), 201),
    );
    app.get(
      '/rest/profile/tn/:uuid',
      { config: READ, schema: { ...doc('numbers', 200, TnProfileSchema), params: UuidParams } },
      async (req, reply) =>
        sendOk(reply, await telephony.tnProfiles.getTnProfile(accountId(req), req.params.uuid)),
    );
    app.patch(
      '/rest/profile/tn/:uuid',
      {
        config: WRITE,
        schema: {
          ...doc('numbers', 200, TnProfileSchema),
          params: UuidParams,
          body: UpdateTnProfileRequestSchema,
        },
      },
      async (req, reply) =>
        sendOk(reply, await telephony.tnProfiles.updateTnProfile(accountId(req), req.params.uuid, req.body)),
    );
    app.delete(
      '/rest/profile/tn/:uuid',
      { config: WRITE, schema: { ...doc('numbers', 204, null), params: UuidParams } },
      async (req, reply) => {
        await telephony.tnProfiles.deleteTnProfile(accountId(req), req.params.uuid);
        return reply.code(204).send();
      },
    );
    app.post(
      '/rest/profile/tn/:uuid/:list',
      {
        config: WRITE,
        schema: {
          ...doc('numbers', 200, TnProfileSchema),
          params: ListParams,
          body: NumberListEditRequestSchema,
        },
      },
      async (req, reply) =>
        sendOk(
          reply,
          await telephony.tnProfiles.editTnProfileList(
            accountId(req),
            req.params.uuid,
            req.params.list,
            req.body,
          ),
        ),
    );
  };
}
