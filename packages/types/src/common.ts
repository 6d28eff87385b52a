import * as z from 'zod/mini';
import { define } from './define.js';
import { dateTimeFormat, EARLIEST_DATE, LATEST_DATE, OUT_OF_RANGE, uuidFormat } from './format-schemas.js';
import { isE164, withCheck } from './formats.js';

/** {@link E164_PATTERN}'s expression, the one {@link isE164} accepts exactly. */
const E164_SOURCE = '^\\+[1-9]\\d{7,14}$';

/** Ids are UUID strings: version 4, except event and SMS ids (version 7, ordered by time). Any RFC 9562 version passes. */
export const UuidSchema = define(() => uuidFormat(true));

export { EARLIEST_DATE, LATEST_DATE };

/**
 * ISO-8601 date-time. The server always writes UTC with milliseconds (`2026-01-16T14:15:48.540Z`);
 * offsets are accepted when reading so that a client never breaks on a proxy that rewrites them.
 */
export const DateTimeSchema = define(() => dateTimeFormat(true));

/** `YYYY-MM-DD` (an existing day of the calendar), used by the call-data report. */
export const DateOnlySchema = define(() =>
  z.iso
    .date({ message: 'must be a date as YYYY-MM-DD' })
    .check(
      z.refine(
        (value: string) => !/^\d{4}-/.test(value) || (value >= EARLIEST_DATE && value <= LATEST_DATE),
        OUT_OF_RANGE,
      ),
    ),
);

/**
 * USD as a JSON number with at most 5 decimals. The server computes in integer micro-dollars and
 * converts at the edge, so values such as 99.87895 are exact. Infinity and NaN are refused.
 */
export const MoneySchema = define(() => z.number());

/** Strict E.164 as the server writes it: `+` then 8..15 digits, no leading zero. */
export const E164_PATTERN = /^\+[1-9]\d{7,14}$/;
/** A phone number exactly as the server writes it: strict E.164. */
export const E164Schema = define(() =>
  z.string().check(
    z.regex(withCheck(E164_PATTERN, E164_SOURCE, isE164), {
      message: 'must be an E.164 phone number such as +12015550123',
    }),
  ),
);

const PHONE_HINT =
  'must be an E.164 number (+12015550123), a 10-digit US number (2015550123) or 1 followed by 10 digits (12015550123)';

/**
 * Normalises an accepted phone number to E.164, or returns undefined.
 * Accepted: E.164 (`+12015550123`), 10-digit US (`2015550123`) and `1` + 10 digits (`12015550123`).
 * Spaces, dots, dashes and parentheses are tolerated as separators, because people paste numbers
 * in every format; letters and anything else are refused.
 */
export function normalizePhoneNumber(input: string): string | undefined {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 32) return undefined;
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return undefined;
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/[^\d]/g, '');
  if (plus) {
    const e164 = `+${digits}`;
    return E164_PATTERN.test(e164) ? e164 : undefined;
  }
  // NANP rules: area code and exchange start with 2-9.
  const nanp = /^[2-9]\d{2}[2-9]\d{6}$/;
  if (digits.length === 10 && nanp.test(digits)) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1') && nanp.test(digits.slice(1))) return `+${digits}`;
  return undefined;
}

/** Phone number input: normalised to E.164, or refused with a message that says what is accepted. */
export const PhoneNumberSchema = define(() =>
  z.pipe(
    z.string({ message: PHONE_HINT }),
    z.transform((value: string, ctx) => {
      const normalized = normalizePhoneNumber(value);
      if (normalized === undefined) {
        ctx.issues.push({ code: 'custom', message: PHONE_HINT, input: value });
        return z.NEVER;
      }
      return normalized;
    }),
  ),
);

/** `take` (1..100, default 10) and `skip` (>= 0), from the query string. */
export const PaginationQuerySchema = define(() =>
  z.strictObject({
    take: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 10),
    skip: z._default(z.coerce.number().check(z.int(), z.gte(0)), 0),
  }),
);
/** The parsed form of {@link PaginationQuerySchema}. */
export type PaginationQuery = z.infer<typeof PaginationQuerySchema>;

/** `created_on_from` / `created_on_to` windows shared by every search body. */
export const CreatedWindowShape = define(() => ({
  created_on_from: z.optional(DateTimeSchema),
  created_on_to: z.optional(DateTimeSchema),
}));

/** The list payload: `{take, skip, total, data}`, with `item` the schema of each element of `data`. */
/* @__NO_SIDE_EFFECTS__ */
export function listPayload<T extends z.core.$ZodType>(item: T) {
  return z.object({
    take: z.int(),
    skip: z.int(),
    total: z.int(),
    data: z.array(item),
  });
}
/** A page of a list: `total` items in all, `data` the `take` of them after skipping `skip`. */
export interface ListPayload<T> {
  take: number;
  skip: number;
  total: number;
  data: T[];
}

/** Optional `account_id` in a query or body: acts on that account instead of the caller's default. */
export const AccountIdShape = define(() => ({ account_id: z.optional(UuidSchema) }));
