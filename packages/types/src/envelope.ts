import * as z from 'zod/mini';
import { UuidSchema } from './common.js';
import { define } from './define.js';
import { ERROR_CODES } from './errors.js';

/** `{"success": true, "payload": …}`, with `payload` the schema of the payload. */
/* @__NO_SIDE_EFFECTS__ */
export function successEnvelope<T extends z.core.$ZodType>(payload: T) {
  return z.object({ success: z.literal(true), payload });
}
/** Every successful answer: the payload inside `{"success": true, "payload": …}`. */
export interface SuccessEnvelope<T> {
  success: true;
  payload: T;
}

/** What is wrong with one field of a refused request. */
export const FieldErrorSchema = define(() => z.object({ message: z.string() }));

/**
 * `{"success": false, "status", "code", "message", "request_id", "fields"?, "accounts"?}`.
 * `code` is a string on purpose: a client must survive a code it does not know yet; the known ones
 * are in {@link ERROR_CODES}. `accounts` comes with `account_required` so a caller can pick one.
 */
export const ErrorEnvelopeSchema = define(() =>
  z.object({
    success: z.literal(false),
    status: z.int().check(z.gte(400), z.lte(599)),
    code: z.string(),
    message: z.string(),
    request_id: z.string(),
    fields: z.optional(z.record(z.string(), FieldErrorSchema)),
    accounts: z.optional(z.array(z.object({ uuid: UuidSchema, name: z.string() }))),
  }),
);
/** The parsed form of {@link ErrorEnvelopeSchema}. */
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

export { ERROR_CODES };
