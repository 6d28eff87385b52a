import { ErrorEnvelopeSchema, successEnvelope, UuidSchema } from '@callwire/types';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountOf } from '../../http/request-context.js';
import type { Telephony } from '../telephony.js';

export const UuidParams = z.strictObject({ uuid: UuidSchema });
export const IdOrTnParams = z.strictObject({ id: z.string().min(1).max(64) });

/** `{"success": true, "payload": …}` with the status the contract gives the operation. */
export function ok<T>(reply: FastifyReply, payload: T, status = 200): FastifyReply {
  return reply.code(status).send({ success: true, payload });
}

export function accountId(request: FastifyRequest): string {
  return accountOf(request).id;
}

export function telephonyOf(app: FastifyInstance): Telephony {
  const t = app.ctx.services.telephony;
  if (t === undefined) throw new Error('the telephony area is not set up');
  return t;
}

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** Read routes: any member of the account. */
export const READ = { scoped: true, access: 'viewer' } as const;
/** Write routes: managers and admins. */
export const WRITE = { scoped: true, access: 'manager' } as const;
/** Simulator controls: account admins only. */
export const ADMIN = { scoped: true, access: 'admin' } as const;

/** Telephony handlers look things up by id or number (the lease, the profile, the pool…). */
const COMMON_ERRORS = [404] as const;

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
  };
  for (const code of [...COMMON_ERRORS, ...errors]) response[code] = ErrorEnvelopeSchema;
  return { tags: [tag], response };
}

/**
 * `curl -d talk_secs=3` sends every value as text. The server turns form `true`/`false` into
 * booleans; the numeric fields of these routes are turned into numbers here (only for form
 * bodies, and only whole numbers), so that JSON and forms validate alike. Phone numbers stay text.
 */
export function formNumbers(fields: readonly string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const type = request.headers['content-type'] ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded')) return;
    const body = request.body as Record<string, unknown> | null | undefined;
    if (typeof body !== 'object' || body === null) return;
    for (const field of fields) {
      const v = body[field];
      if (typeof v === 'string' && /^\d{1,9}$/.test(v)) body[field] = Number(v);
    }
  };
}
