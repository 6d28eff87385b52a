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
import { accountId, doc, IdOrTnParams, ok, READ, telephonyOf, typed, UuidParams, WRITE } from './shared.js';

const ListParams = z.strictObject({ uuid: z.uuid(), list: z.enum(['blacklist', 'whitelist']) });

/** Numbers: inventory search, orders, leases, SMS subscription, TN profiles. */
export const numbersRoutes: FastifyPluginAsync = async (fastify) => {
  const app = typed(fastify);
  const t = () => telephonyOf(fastify);

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
      return ok(
        reply,
        await t().numbers.searchInventory(body, { page: req.query.page, size: req.query.size }),
      );
    },
  );

  app.post(
    '/rest/order',
    { config: WRITE, schema: { ...doc('numbers', 202, OrderSchema, [402]), body: OrderRequestSchema } },
    async (req, reply) => ok(reply, await t().orders.createOrder(accountId(req), req.body.items), 202),
  );
  app.get(
    '/rest/order/:uuid',
    { config: READ, schema: { ...doc('numbers', 200, OrderSchema), params: UuidParams } },
    async (req, reply) => ok(reply, await t().orders.getOrder(accountId(req), req.params.uuid)),
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
    async (req, reply) => ok(reply, await t().orders.searchOrders(accountId(req), req.body ?? {}, req.query)),
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
    async (req, reply) => ok(reply, await t().leases.searchLeases(accountId(req), req.body ?? {}, req.query)),
  );
  app.get(
    '/rest/lease/tn/:id',
    { config: READ, schema: { ...doc('numbers', 200, LeaseSchema), params: IdOrTnParams } },
    async (req, reply) => ok(reply, await t().leases.getLease(accountId(req), req.params.id)),
  );
  app.patch(
    '/rest/lease/tn/:id',
    {
      config: WRITE,
      schema: { ...doc('numbers', 200, LeaseSchema), params: IdOrTnParams, body: UpdateLeaseRequestSchema },
    },
    async (req, reply) => ok(reply, await t().leases.updateLease(accountId(req), req.params.id, req.body)),
  );
  app.delete(
    '/rest/lease/tn/:id',
    { config: WRITE, schema: { ...doc('numbers', 200, LeaseSchema), params: IdOrTnParams } },
    async (req, reply) => ok(reply, await t().leases.releaseLease(accountId(req), req.params.id)),
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
      ok(reply, await t().leases.setSms(accountId(req), req.params.id, true, req.body?.messaging_profile)),
  );
  app.delete(
    '/rest/lease/tn/:id/subscription/sms',
    { config: WRITE, schema: { ...doc('numbers', 200, LeaseSchema), params: IdOrTnParams } },
    async (req, reply) => ok(reply, await t().leases.setSms(accountId(req), req.params.id, false)),
  );

  app.get(
    '/rest/profile/tn',
    {
      config: READ,
      schema: { ...doc('numbers', 200, listPayload(TnProfileSchema)), querystring: PaginationQuerySchema },
    },
    async (req, reply) => ok(reply, await t().tnProfiles.listTnProfiles(accountId(req), req.query)),
  );
  app.post(
    '/rest/profile/tn',
    {
      config: WRITE,
      schema: { ...doc('numbers', 201, TnProfileSchema), body: CreateTnProfileRequestSchema },
    },
    async (req, reply) => ok(reply, await t().tnProfiles.createTnProfile(accountId(req), req.body), 201),
  );
  app.get(
    '/rest/profile/tn/:uuid',
    { config: READ, schema: { ...doc('numbers', 200, TnProfileSchema), params: UuidParams } },
    async (req, reply) => ok(reply, await t().tnProfiles.getTnProfile(accountId(req), req.params.uuid)),
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
      ok(reply, await t().tnProfiles.updateTnProfile(accountId(req), req.params.uuid, req.body)),
  );
  app.delete(
    '/rest/profile/tn/:uuid',
    { config: WRITE, schema: { ...doc('numbers', 204, null), params: UuidParams } },
    async (req, reply) => {
      await t().tnProfiles.deleteTnProfile(accountId(req), req.params.uuid);
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
      ok(
        reply,
        await t().tnProfiles.editTnProfileList(accountId(req), req.params.uuid, req.params.list, req.body),
      ),
  );
};
