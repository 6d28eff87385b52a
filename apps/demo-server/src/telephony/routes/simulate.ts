import { CallSchema, SimulateCallRequestSchema, SimulateSmsRequestSchema, SmsSchema } from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import { ADMIN, accountId, doc, formNumbers, ok, telephonyOf, typed } from './shared.js';

/** The outside world, for the demo: inbound calls and SMS to the account's numbers (admin access). */
export const simulateRoutes: FastifyPluginAsync = async (fastify) => {
  const app = typed(fastify);
  app.addHook('preValidation', formNumbers(['talk_secs']));
  app.post(
    '/rest/simulate/call',
    { config: ADMIN, schema: { ...doc('simulator', 202, CallSchema), body: SimulateCallRequestSchema } },
    async (req, reply) =>
      ok(reply, await telephonyOf(fastify).calls.simulateInbound(accountId(req), req.body), 202),
  );
  app.post(
    '/rest/simulate/sms',
    { config: ADMIN, schema: { ...doc('simulator', 201, SmsSchema), body: SimulateSmsRequestSchema } },
    async (req, reply) =>
      ok(reply, await telephonyOf(fastify).sms.simulateInbound(accountId(req), req.body), 201),
  );
};
