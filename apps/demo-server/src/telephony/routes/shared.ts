import { UuidSchema } from '@callwire/types';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { accountOf } from '../../http/request-context.js';
import { doc as routeDoc } from '../../http/route-kit.js';

export const UuidParams = z.strictObject({ uuid: UuidSchema });
export const IdOrTnParams = z.strictObject({ id: z.string().min(1).max(64) });

export function accountId(request: FastifyRequest): string {
  return accountOf(request).id;
}

/** Telephony handlers look things up by id or number (the lease, the profile, the pool…). */
const COMMON_ERRORS = [404] as const;

/** {@link routeDoc} with the 404 every telephony lookup may answer. */
export function doc(
  tag: string,
  status: number,
  payload: z.core.$ZodType | null,
  errors: readonly number[] = [],
) {
  return routeDoc(tag, status, payload, [...COMMON_ERRORS, ...errors]);
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
