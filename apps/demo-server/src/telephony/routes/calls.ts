import {
  BatchSchema,
  BridgeCallsRequestSchema,
  CallDataQuerySchema,
  CallDataRecordSchema,
  CallSchema,
  CallSearchRequestSchema,
  CreateBatchRequestSchema,
  CreateCallRequestSchema,
  listPayload,
  OriginateRequestSchema,
  OriginateSchema,
  PaginationQuerySchema,
  RapidResponseRequestSchema,
  RapidResponseSchema,
} from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { READ, sendOk, typed, WRITE } from '../../http/route-kit.js';
import { callDataReportJson } from '../reports.js';
import type { Telephony } from '../telephony.js';
import { accountId, doc, formNumbers, UuidParams } from './shared.js';

const BridgedCallsSchema = z.object({ call_a: CallSchema, call_b: CallSchema });

/** Calls: calls, bridge, hangup, call log, bulk calls, originate, rapid response, call-data report. */
export function callsRoutes(telephony: Telephony): FastifyPluginAsync {
  return async (fastify) => {
    const app = typed(fastify);
    app.addHook('preValidation', formNumbers(['talk_secs', 'timeout_secs', 'concurrency']));

    app.post(
      '/rest/call',
      { config: WRITE, schema: { ...doc('calls', 202, CallSchema, [402]), body: CreateCallRequestSchema } },
      async (req, reply) => sendOk(reply, await telephony.calls.create(accountId(req), req.body), 202),
    );
    app.post(
      '/rest/call/bridge',
      {
        config: WRITE,
        schema: { ...doc('calls', 200, BridgedCallsSchema, [409]), body: BridgeCallsRequestSchema },
      },
      async (req, reply) =>
        sendOk(reply, await telephony.calls.bridge(accountId(req), req.body.call_a, req.body.call_b)),
    );
    app.post(
      '/rest/call/:uuid/hangup',
      { config: WRITE, schema: { ...doc('calls', 200, CallSchema, [409]), params: UuidParams } },
      async (req, reply) => sendOk(reply, await telephony.calls.hangup(accountId(req), req.params.uuid)),
    );
    app.get(
      '/rest/call/:uuid',
      { config: READ, schema: { ...doc('calls', 200, CallSchema), params: UuidParams } },
      async (req, reply) => sendOk(reply, await telephony.calls.get(accountId(req), req.params.uuid)),
    );
    app.post(
      '/rest/call/search',
      {
        config: READ,
        schema: {
          ...doc('calls', 200, listPayload(CallSchema)),
          querystring: PaginationQuerySchema,
          body: z.optional(CallSearchRequestSchema),
        },
      },
      async (req, reply) =>
        sendOk(reply, await telephony.calls.search(accountId(req), req.body ?? {}, req.query)),
    );

    app.post(
      '/rest/batch',
      { config: WRITE, schema: { ...doc('calls', 202, BatchSchema, [402]), body: CreateBatchRequestSchema } },
      async (req, reply) => sendOk(reply, await telephony.batches.create(accountId(req), req.body), 202),
    );
    app.get(
      '/rest/batch/:uuid',
      { config: READ, schema: { ...doc('calls', 200, BatchSchema), params: UuidParams } },
      async (req, reply) => sendOk(reply, await telephony.batches.get(accountId(req), req.params.uuid)),
    );

    app.post(
      '/rest/voice/originate',
      {
        config: WRITE,
        schema: { ...doc('calls', 202, OriginateSchema, [402]), body: OriginateRequestSchema },
      },
      async (req, reply) => sendOk(reply, await telephony.voice.originate(accountId(req), req.body), 202),
    );
    app.get(
      '/rest/voice/originate/:uuid',
      { config: READ, schema: { ...doc('calls', 200, OriginateSchema), params: UuidParams } },
      async (req, reply) =>
        sendOk(reply, await telephony.voice.getOriginate(accountId(req), req.params.uuid)),
    );
    app.post(
      '/rest/voice/rapidresponse',
      {
        config: WRITE,
        schema: { ...doc('calls', 202, RapidResponseSchema, [402, 409]), body: RapidResponseRequestSchema },
      },
      async (req, reply) => sendOk(reply, await telephony.voice.rapidResponse(accountId(req), req.body), 202),
    );

    // The report can hold 100 000 records: the database builds their JSON, the envelope goes around it.
    app.get(
      '/rest/reports/call-data',
      {
        config: READ,
        schema: {
          ...doc('calls', 200, z.array(CallDataRecordSchema)),
          description:
            'One record per finished call between `start_date` and `end_date`, both included, in the account time zone. ' +
            'The window is at most 93 days: a longer one is refused with 400 `validation_failed` on `end_date`.',
          querystring: CallDataQuerySchema,
        },
      },
      async (req, reply) => {
        const records = await callDataReportJson(
          telephony.deps,
          accountId(req),
          req.query.start_date,
          req.query.end_date,
        );
        return reply
          .code(200)
          .type('application/json; charset=utf-8')
          .send(`{"success":true,"payload":${records}}`);
      },
    );
  };
}
