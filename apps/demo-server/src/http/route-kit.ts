import { ErrorEnvelopeSchema, successEnvelope } from '@callwire/types';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * What every route of every area builds with: the success envelope, the access levels a route
 * declares in its `config`, and the OpenAPI description of its answers. The request pipeline
 * (authentication, scoping, idempotency, errors) is applied from `config` when the route is
 * registered (see route-hooks.ts); nothing here runs per request but the envelope.
 */

/** `{"success": true, "payload": …}` */
export function ok<T>(payload: T): { success: true; payload: T } {
  return { success: true, payload };
}

/** Sends `{"success": true, "payload": …}` with the status the contract gives the operation. */
export function sendOk<T>(reply: FastifyReply, payload: T, status = 200): FastifyReply {
  return reply.code(status).send({ success: true, payload });
}

/** The route registrar with zod schemas as the types of params, query and body. */
export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** Read routes: any member of the account. */
export const READ = { scoped: true, access: 'viewer' } as const;
/** Write routes: managers and admins. */
export const WRITE = { scoped: true, access: 'manager' } as const;
/** Account administration and simulator controls: account admins only. */
export const ADMIN = { scoped: true, access: 'admin' } as const;

/** The error envelope under each of `statuses`, for a route schema's `response`. */
export function errorResponses(...statuses: readonly number[]): Record<number, typeof ErrorEnvelopeSchema> {
  const out: Record<number, typeof ErrorEnvelopeSchema> = {};
  for (const status of statuses) out[status] = ErrorEnvelopeSchema;
  return out;
}

/** What any authenticated route may answer before its handler runs: bad input, credentials, access, rate. */
export const REQUEST_ERRORS = errorResponses(400, 401, 403, 429);

/**
 * OpenAPI documentation of a route: its tag, its success envelope and the error envelopes its
 * handler may answer with. The statuses of the request pipeline (bad input, authentication,
 * account scoping, idempotency, limits) are added to every operation by the document builder.
 * (Responses are serialised with JSON.stringify; these schemas only feed /openapi.json.)
 */
export function doc(
  tag: string,
  status: number,
  payload: z.core.$ZodType | null,
  errors: readonly number[] = [],
) {
  const response: Record<number, z.core.$ZodType> = {
    [status]: payload === null ? z.null().describe('No content') : successEnvelope(payload),
    ...errorResponses(...errors),
  };
  return { tags: [tag], response };
}
