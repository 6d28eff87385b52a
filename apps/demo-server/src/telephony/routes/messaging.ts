import {
  CreateMessagingProfileRequestSchema,
  listPayload,
  MessagingProfileSchema,
  PaginationQuerySchema,
  SendSmsRequestSchema,
  SmsSchema,
  SmsSearchRequestSchema,
  UpdateMessagingProfileRequestSchema,
} from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { accountId, doc, ok, READ, telephonyOf, typed, UuidParams, WRITE } from './shared.js';

/** Messaging: send, read, search, messaging profiles. */
export const messagingRoutes: FastifyPluginAsync = async (fastify) => {
  const app = typed(fastify);
  const t = () => telephonyOf(fastify);

  app.post(
    '/rest/sms',
    { config: WRITE, schema: { ...doc('messaging', 202, SmsSchema, [402]), body: SendSmsRequestSchema } },
    async (req, reply) => ok(reply, await t().sms.send(accountId(req), req.body), 202),
  );
  app.get(
    '/rest/sms/:uuid',
    { config: READ, schema: { ...doc('messaging', 200, SmsSchema), params: UuidParams } },
    async (req, reply) => ok(reply, await t().sms.get(accountId(req), req.params.uuid)),
  );
  app.post(
    '/rest/sms/search',
    {
      config: READ,
      schema: {
        ...doc('messaging', 200, listPayload(SmsSchema)),
        querystring: PaginationQuerySchema,
        body: z.optional(SmsSearchRequestSchema),
      },
    },
    async (req, reply) => ok(reply, await t().sms.search(accountId(req), req.body ?? {}, req.query)),
  );

  app.get(
    '/rest/profile/messaging',
    {
      config: READ,
      schema: {
        ...doc('messaging', 200, listPayload(MessagingProfileSchema)),
        querystring: PaginationQuerySchema,
      },
    },
    async (req, reply) => ok(reply, await t().messagingProfiles.listProfiles(accountId(req), req.query)),
  );
  app.post(
    '/rest/profile/messaging',
    {
      config: WRITE,
      schema: { ...doc('messaging', 201, MessagingProfileSchema), body: CreateMessagingProfileRequestSchema },
    },
    async (req, reply) => ok(reply, await t().messagingProfiles.createProfile(accountId(req), req.body), 201),
  );
  app.get(
    '/rest/profile/messaging/:uuid',
    { config: READ, schema: { ...doc('messaging', 200, MessagingProfileSchema), params: UuidParams } },
    async (req, reply) => ok(reply, await t().messagingProfiles.getProfile(accountId(req), req.params.uuid)),
  );
  app.patch(
    '/rest/profile/messaging/:uuid',
    {
      config: WRITE,
      schema: {
        ...doc('messaging', 200, MessagingProfileSchema),
        params: UuidParams,
        body: UpdateMessagingProfileRequestSchema,
      },
    },
    async (req, reply) =>
      ok(reply, await t().messagingProfiles.updateProfile(accountId(req), req.params.uuid, req.body)),
  );
  app.delete(
    '/rest/profile/messaging/:uuid',
    { config: WRITE, schema: { ...doc('messaging', 204, null), params: UuidParams } },
    async (req, reply) => {
      await t().messagingProfiles.deleteProfile(accountId(req), req.params.uuid);
      return reply.code(204).send();
    },
  );
};
