/*
 * Hand-written checks for the string formats every event carries (UUIDs, date-times, E.164 numbers),
 * each accepting exactly what one regular expression accepts. A client checks several of each per
 * event, and these loops over char codes cost a fraction of the regular expressions: together they
 * were most of the time it took to validate an event. Property tests hold each one to its regular
 * expression.
 */

/*
 * Each check ORs a failure bit per character rather than branching on each: on a string that has
 * just been parsed, a branch per character cost more than the regular expression it replaces.
 */

/** 0 for `0`-`9`, `a`-`f`, `A`-`F`; 1 for every other char code below 128. */
const NOT_HEX = new Uint8Array(128).fill(1);
for (const c of '0123456789abcdefABCDEF') NOT_HEX[c.charCodeAt(0)] = 0;

/** 0 for `0`-`9`, 1 for every other char code below 128. */
const NOT_DIGIT = new Uint8Array(128).fill(1);
for (const c of '0123456789') NOT_DIGIT[c.charCodeAt(0)] = 0;

/** Non-zero unless the char code `c` is a hex digit. */
function notHex(c: number): number {
  return NOT_HEX[c & 127]! | (c >> 7);
}

/** Non-zero unless the char code `c` is a digit. */
function notDigit(c: number): number {
  return NOT_DIGIT[c & 127]! | (c >> 7);
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * zod's UUID format: 8-4-4-4-12 hex digits with a version digit 1-8 and a variant of 8, 9, a or b
 * (either case), or the nil UUID, or the max UUID (lower case only).
 */
export function isUuid(value: string): boolean {
  if (value.length !== 36) return false;
  let bad =
    (value.charCodeAt(8) ^ 45) |
    (value.charCodeAt(13) ^ 45) |
    (value.charCodeAt(18) ^ 45) |
    (value.charCodeAt(23) ^ 45); // '-'
  for (let i = 0; i < 8; i++) bad |= notHex(value.charCodeAt(i));
  for (let i = 9; i < 13; i++) bad |= notHex(value.charCodeAt(i));
  for (let i = 14; i < 18; i++) bad |= notHex(value.charCodeAt(i));
  for (let i = 19; i < 23; i++) bad |= notHex(value.charCodeAt(i));
  for (let i = 24; i < 36; i++) bad |= notHex(value.charCodeAt(i));
  if (bad !== 0) return false;
  const version = value.charCodeAt(14);
  // 8, 9, a, b, A, B: with the 0x20 bit cleared, a/b and A/B are both 65/66.
  const variant = value.charCodeAt(19);
  const variantUpper = variant & ~32;
  if (
    version >= 49 &&
    version <= 56 &&
    (variant === 56 || variant === 57 || variantUpper === 65 || variantUpper === 66)
  )
    return true;
  return value === NIL_UUID || value === MAX_UUID;
}

/** Strict E.164: `+`, a digit 1-9, then 7 to 14 digits. */
export function isE164(value: string): boolean {
  const length = value.length;
  if (length < 9 || length > 16 || value.charCodeAt(0) !== 43) return false; // '+'
  let bad = value.charCodeAt(1) === 48 ? 1 : 0; // no leading '0'
  for (let i = 1; i < length; i++) bad |= notDigit(value.charCodeAt(i));
  return bad === 0;
}

/** Days in `month` (1-12) of `year` in the proleptic Gregorian calendar (year 0000 is a leap year). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * zod's ISO date-time with offsets (`z.iso.datetime({ offset: true })`):
 * `YYYY-MM-DDTHH:MM:SS`, an optional fraction of one or more digits, then `Z` or `±HH:MM`. The day
 * exists in its month (29 February in leap years only), hours 00-23, minutes and seconds 00-59.
 */
export function isIsoDateTime(value: string): boolean {
  const length = value.length;
  if (length < 20) return false;
  // YYYY-MM-DDTHH:MM:SS: the digits and separators first, then the ranges.
  let bad =
    (value.charCodeAt(4) ^ 45) | // '-'
    (value.charCodeAt(7) ^ 45) |
    (value.charCodeAt(10) ^ 84) | // 'T'
    (value.charCodeAt(13) ^ 58) | // ':'
    (value.charCodeAt(16) ^ 58);
  for (const at of DIGIT_AT) bad |= notDigit(value.charCodeAt(at));
  if (bad !== 0) return false;
  const month = number2(value, 5);
  const day = number2(value, 8);
  const year = number2(value, 0) * 100 + number2(value, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (number2(value, 11) > 23 || number2(value, 14) > 59 || number2(value, 17) > 59) return false;
  let i = 19;
  if (value.charCodeAt(i) === 46) {
    // '.' and at least one digit
    i += 1;
    const start = i;
    while (i < length && notDigit(value.charCodeAt(i)) === 0) i += 1;
    if (i === start) return false;
  }
  const zone = value.charCodeAt(i);
  if (zone === 90) return i + 1 === length; // 'Z'
  if (zone !== 43 && zone !== 45) return false; // '+', '-'
  // ±HH:MM
  if (i + 6 !== length) return false;
  bad =
    notDigit(value.charCodeAt(i + 1)) |
    notDigit(value.charCodeAt(i + 2)) |
    (value.charCodeAt(i + 3) ^ 58) |
    notDigit(value.charCodeAt(i + 4)) |
    notDigit(value.charCodeAt(i + 5));
  return bad === 0 && number2(value, i + 1) <= 23 && number2(value, i + 4) <= 59;
}

/** Where `YYYY-MM-DDTHH:MM:SS` has digits. */
const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** The two digits at `at` (already checked to be digits) as a number. */
function number2(value: string, at: number): number {
  return (value.charCodeAt(at) - 48) * 10 + value.charCodeAt(at + 1) - 48;
}

/**
 * Two char codes near the end of `value`, which tell most values of one format apart (a UUID's last
 * hex digits, a date-time's milliseconds, a number's last digits): equal values have equal keys,
 * and comparing two integers costs a fraction of comparing two strings that turn out to differ.
 */
function keyOf(value: string): number {
  const length = value.length;
  if (length < 3) return length;
  return (value.charCodeAt(length - 2) << 16) | value.charCodeAt(length - 3);
}

/** How many accepted values each format remembers. */
const REMEMBERED = 4;

/**
 * `regex` with `check` as its `test`, when `regex` is exactly the expression `check` was proven
 * against (`source`); otherwise `regex` unchanged. zod calls a format's `pattern.test` for each value
 * and reads its `source` for JSON Schema and for issues, so those stay as they were. Should zod
 * change its expression, the schemas fall back to it rather than to a check of something else.
 *
 * It also remembers the last few values it accepted: consecutive events repeat most of theirs (the
 * account, the call, its numbers and times), and comparing a string with a remembered one costs a
 * fraction of checking it. Values found again are kept over the others, so the ones that keep
 * coming back stay while one-off ones (each event's own id) replace each other.
 */
export function withCheck(regex: RegExp, source: string, check: (value: string) => boolean): RegExp {
  if (regex.source !== source || regex.flags !== '') return regex;
  const fast = new RegExp(regex.source);
  // Empty places hold undefined, which no string equals. `used` marks the values found again since
  // the hand last passed them: a new value takes the first unmarked place from the hand on (the
  // "clock" approximation of least recently used). Marks are bytes, so a hit writes no reference:
  // storing each new string into a long-lived array costs a write barrier, which was most of the
  // cost of moving values to the front on every hit.
  const values: (string | undefined)[] = new Array<string | undefined>(REMEMBERED).fill(undefined);
  const used = new Uint8Array(REMEMBERED);
  // Each remembered value's key (see `keyOf`): comparing the keys first leaves a string comparison
  // only for a value that is likely the same. Empty places' key is 0, and their undefined equals no string.
  const keys = new Int32Array(REMEMBERED);
  let hand = 0;
  const test = (value: unknown): boolean => {
    if (typeof value !== 'string') return regex.test(String(value));
    const key = keyOf(value);
    for (let i = 0; i < REMEMBERED; i++) {
      if (keys[i] === key && values[i] === value) {
        used[i] = 1;
        return true;
      }
    }
    if (!check(value)) return false;
    // Ends within one turn: the marks it passes are cleared.
    while (used[hand] === 1) {
      used[hand] = 0;
      hand = (hand + 1) % REMEMBERED;
    }
    values[hand] = value;
    keys[hand] = key;
    hand = (hand + 1) % REMEMBERED;
    return true;
  };
  Object.defineProperty(fast, 'test', { value: test });
  return fast;
}
