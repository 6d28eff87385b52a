import { CallSchema, SimulateCallRequestSchema, SimulateSmsRequestSchema, SmsSchema } from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import { ADMIN, sendOk, typed } from '../../http/route-kit.js';
import type { Telephony } from '../telephony.js';
import { accountId, doc, formNumbers } from './shared.js';

/** The outside world, for the demo: inbound calls and SMS to the account's numbers (admin access). */
export function simulateRoutes(telephony: Telephony): FastifyPluginAsync {
  return async (fastify) => {
    const app = typed(fastify);
    app.addHook('preValidation', formNumbers(['talk_secs']));
    app.post(
      '/rest/simulate/call',
      { config: ADMIN, schema: { ...doc('simulator', 202, CallSchema), body: SimulateCallRequestSchema } },
      async (req, reply) =>
        sendOk(reply, await telephony.calls.simulateInbound(accountId(req), req.body), 202),
    );
    app.post(
      '/rest/simulate/sms',
      { config: ADMIN, schema: { ...doc('simulator', 201, SmsSchema), body: SimulateSmsRequestSchema } },
      async (req, reply) => sendOk(reply, await telephony.sms.simulateInbound(accountId(req), req.body), 201),
    );
  };
}
