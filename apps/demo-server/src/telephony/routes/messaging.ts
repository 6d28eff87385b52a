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
import { READ, sendOk, typed, WRITE } from '../../http/route-kit.js';
import type { Telephony } from '../telephony.js';
import { accountId, doc, UuidParams } from './shared.js';

/** Messaging: send, read, search, messaging profiles. */
export function messagingRoutes(telephony: Telephony): FastifyPluginAsync {
  return async (fastify) => {
    const app = typed(fastify);

    app.post(
      '/rest/sms',
      { config: WRITE, schema: { ...doc('messaging', 202, SmsSchema, [402]), body: SendSmsRequestSchema } },
      async (req, reply) => sendOk(reply, await telephony.sms.send(accountId(req), req.body), 202),
    );
    app.get(
      '/rest/sms/:uuid',
      { config: READ, schema: { ...doc('messaging', 200, SmsSchema), params: UuidParams } },
      async (req, reply) => sendOk(reply, await telephony.sms.get(accountId(req), req.params.uuid)),
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
      async (req, reply) =>
        sendOk(reply, await telephony.sms.search(accountId(req), req.body ?? {}, req.query)),
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
      async (req, reply) =>
        sendOk(reply, await telephony.messagingProfiles.listProfiles(accountId(req), req.query)),
    );
    app.post(
      '/rest/profile/messaging',
      {
        config: WRITE,
        schema: {
          ...doc('messaging', 201, MessagingProfileSchema),
          body: CreateMessagingProfileRequestSchema,
        },
      },
      async (req, reply) =>
        sendOk(reply, await telephony.messagingProfiles.createProfile(accountId(req), req.body), 201),
    );
    app.get(
      '/rest/profile/messaging/:uuid',
      { config: READ, schema: { ...doc('messaging', 200, MessagingProfileSchema), params: UuidParams } },
      async (req, reply) =>
        sendOk(reply, await telephony.messagingProfiles.getProfile(accountId(req), req.params.uuid)),
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
        sendOk(
          reply,
          await telephony.messagingProfiles.updateProfile(accountId(req), req.params.uuid, req.body),
        ),
    );
    app.delete(
      '/rest/profile/messaging/:uuid',
      { config: WRITE, schema: { ...doc('messaging', 204, null), params: UuidParams } },
      async (req, reply) => {
        await telephony.messagingProfiles.deleteProfile(accountId(req), req.params.uuid);
        return reply.code(204).send();
      },
    );
  };
}
