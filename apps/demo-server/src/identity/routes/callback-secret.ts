import { CallbackSecretSchema, successEnvelope } from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { accountOf } from '../../http/request-context.js';
import { ok, REQUEST_ERRORS } from '../../http/route-kit.js';
import { type CallbackSecret, callbackSecret, rotateCallbackSecret } from '../callback-secret-store.js';
import type { IdentityDeps } from '../deps.js';

const dto = (secret: CallbackSecret) => ({ signing_secret: secret.secret, created_on: secret.createdOn });

/**
 * The account's callback signing secret, for its admins: SMS status callbacks carry
 * `Callwire-Signature` made with it, verified exactly like a webhook's.
 */
export function callbackSecretRoutes(deps: IdentityDeps): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/rest/account/callback-secret',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['accounts'],
          summary: 'The secret SMS status callbacks are signed with (made on first use)',
          response: { 200: successEnvelope(CallbackSecretSchema), ...REQUEST_ERRORS },
        },
      },
      async (request) => ok(dto(await callbackSecret(deps.db, accountOf(request).id, deps.now()))),
    );

    app.post(
      '/rest/account/callback-secret',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['accounts'],
          summary: 'Replace the callback signing secret: callbacks from now on are signed with the new one',
          response: { 200: successEnvelope(CallbackSecretSchema), ...REQUEST_ERRORS },
        },
      },
      async (request) => ok(dto(await rotateCallbackSecret(deps.db, accountOf(request).id, deps.now()))),
    );
  };
}
