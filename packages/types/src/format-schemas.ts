import * as z from 'zod/mini';
import { isIsoDateTime, isUuid, withCheck } from './formats.js';

/*
 * The UUID and date-time formats, made here so that the schemas everyone uses (./common.ts) and the
 * ones event parsing uses for an event's own id and time (./events.ts) are built the same way and
 * differ only in whether their check remembers recent values. Not exported from the package: the
 * schemas it exports, and the JSON Schema made from them, are the ones in ./common.ts.
 *
 * These keep zod's own formats and expressions (their JSON Schema and their issues are unchanged) but
 * test values with the hand-written checks of ./formats.ts. zod's types leave `pattern` out of these
 * formats' options, as it derives one; its constructors take a given one.
 */

/** zod's UUID expression, the one {@link isUuid} accepts exactly. */
const UUID_SOURCE =
  '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$';
/** zod's date-time expression with offsets, the one {@link isIsoDateTime} accepts exactly. */
const DATE_TIME_SOURCE =
  '^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|([+-](?:[01]\\d|2[0-3]):[0-5]\\d)))$';

/**
 * The dates and times the platform accepts as input: from the Unix epoch to the end of year 9998.
 * The upper bound leaves room for a time zone and the day after a date without leaving four-digit
 * years, so every window the server derives stays a valid, sortable ISO-8601 string.
 */
export const EARLIEST_DATE = '1970-01-01';
/** The latest date the platform accepts as input (see {@link EARLIEST_DATE}). */
export const LATEST_DATE = '9998-12-31';
const EARLIEST_MS = Date.UTC(1970, 0, 1);
const LATEST_MS = Date.UTC(9998, 11, 31, 23, 59, 59, 999);
/** Date-times from this prefix up to (not including) the next are in range with any offset. */
const SURELY_AFTER = '1971';
const SURELY_BEFORE = '9998';
export const OUT_OF_RANGE = { message: `must be between ${EARLIEST_DATE} and ${LATEST_DATE}` };

/** A UUID string; `remember`: whether its check remembers recent values (see `withCheck`). */
export function uuidFormat(remember: boolean) {
  return z.uuid({
    message: 'must be a UUID',
    pattern: withCheck(z.regexes.uuid(), UUID_SOURCE, isUuid, remember),
  } as z.core.$ZodUUIDParams);
}

/** An ISO-8601 date-time in the platform's range; `remember` as for {@link uuidFormat}. */
export function dateTimeFormat(remember: boolean) {
  return z.iso
    .datetime({
      offset: true,
      message: 'must be an ISO-8601 date-time',
      pattern: withCheck(z.regexes.datetime({ offset: true }), DATE_TIME_SOURCE, isIsoDateTime, remember),
    } as z.core.$ZodISODateTimeParams)
    .check(
      z.refine((value: string) => {
        // Years 1971 to 9997 are inside the range whatever the offset, and compare as strings without
        // parsing: most values never pay for Date.parse, which was half the cost of checking an event.
        if (value >= SURELY_AFTER && value < SURELY_BEFORE) return true;
        const ms = Date.parse(value);
        // An unparseable value already failed the format check above: one message is enough.
        return Number.isNaN(ms) || (ms >= EARLIEST_MS && ms <= LATEST_MS);
      }, OUT_OF_RANGE),
    );
}
