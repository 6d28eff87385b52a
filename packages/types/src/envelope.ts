import { z } from 'zod';
import { UuidSchema } from './common.js';
import { ERROR_CODES } from './errors.js';

/** `{"success": true, "payload": …}` */
export function successEnvelope<T extends z.ZodType>(payload: T) {
  return z.object({ success: z.literal(true), payload });
}
export interface SuccessEnvelope<T> {
  success: true;
  payload: T;
}

export const FieldErrorSchema = z.object({ message: z.string() });

/**
 * `{"success": false, "status", "code", "message", "request_id", "fields"?, "accounts"?}`.
 * `code` is a string on purpose: a client must survive a code it does not know yet; the known ones
 * are in {@link ERROR_CODES}. `accounts` comes with `account_required` so a caller can pick one.
 */
export const ErrorEnvelopeSchema = z.object({
  success: z.literal(false),
  status: z.number().int().min(400).max(599),
  code: z.string(),
  message: z.string(),
  request_id: z.string(),
  fields: z.record(z.string(), FieldErrorSchema).optional(),
  accounts: z.array(z.object({ uuid: UuidSchema, name: z.string() })).optional(),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

export { ERROR_CODES };
