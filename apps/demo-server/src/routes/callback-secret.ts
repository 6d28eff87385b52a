import { CallbackSecretSchema, ErrorEnvelopeSchema, successEnvelope } from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { accountOf } from '../http/request-context.js';
import { type CallbackSecret, callbackSecret, rotateCallbackSecret } from '../identity/callback-secret.js';
import { ok } from './envelope.js';

const errors = {
  400: ErrorEnvelopeSchema,
  401: ErrorEnvelopeSchema,
  403: ErrorEnvelopeSchema,
  429: ErrorEnvelopeSchema,
};

const dto = (secret: CallbackSecret) => ({ signing_secret: secret.secret, created_on: secret.createdOn });

/**
 * The account's callback signing secret, for its admins: SMS status callbacks carry
 * `Callwire-Signature` made with it, verified exactly like a webhook's.
 */
export const callbackSecretRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { ctx } = fastify;

  app.get(
    '/rest/account/callback-secret',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['accounts'],
        summary: 'The secret SMS status callbacks are signed with (made on first use)',
        response: { 200: successEnvelope(CallbackSecretSchema), ...errors },
      },
    },
    async (request) => ok(dto(await callbackSecret(ctx.db, accountOf(request).id, ctx.now()))),
  );

  app.post(
    '/rest/account/callback-secret',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['accounts'],
        summary: 'Replace the callback signing secret: callbacks from now on are signed with the new one',
        response: { 200: successEnvelope(CallbackSecretSchema), ...errors },
      },
    },
    async (request) => ok(dto(await rotateCallbackSecret(ctx.db, accountOf(request).id, ctx.now()))),
  );
};
