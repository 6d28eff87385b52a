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

/**
 * Negative unless `d` (a char code minus '0') is 0-9: `9 - d` is negative above 9, `d` below 0, and
 * NaN (a position past the end) is never passed in. ORing these checks many digits with one branch.
 */
function negativeUnlessDigit(d: number): number {
  return d | (9 - d);
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
  // Each character is read once (reading a freshly parsed string's characters is most of what this
  // costs), as its value minus '0': the same values are checked as digits and make the numbers.
  const y0 = value.charCodeAt(0) - 48;
  const y1 = value.charCodeAt(1) - 48;
  const y2 = value.charCodeAt(2) - 48;
  const y3 = value.charCodeAt(3) - 48;
  const m0 = value.charCodeAt(5) - 48;
  const m1 = value.charCodeAt(6) - 48;
  const d0 = value.charCodeAt(8) - 48;
  const d1 = value.charCodeAt(9) - 48;
  const h0 = value.charCodeAt(11) - 48;
  const h1 = value.charCodeAt(12) - 48;
  const i0 = value.charCodeAt(14) - 48;
  const i1 = value.charCodeAt(15) - 48;
  const s0 = value.charCodeAt(17) - 48;
  const s1 = value.charCodeAt(18) - 48;
  const year =
    negativeUnlessDigit(y0) | negativeUnlessDigit(y1) | negativeUnlessDigit(y2) | negativeUnlessDigit(y3);
  const monthDay =
    negativeUnlessDigit(m0) | negativeUnlessDigit(m1) | negativeUnlessDigit(d0) | negativeUnlessDigit(d1);
  const hourMinute =
    negativeUnlessDigit(h0) | negativeUnlessDigit(h1) | negativeUnlessDigit(i0) | negativeUnlessDigit(i1);
  const seconds = negativeUnlessDigit(s0) | negativeUnlessDigit(s1);
  const separators =
    (value.charCodeAt(4) ^ 45) | // '-'
    (value.charCodeAt(7) ^ 45) |
    (value.charCodeAt(10) ^ 84) | // 'T'
    (value.charCodeAt(13) ^ 58) | // ':'
    (value.charCodeAt(16) ^ 58);
  if ((year | monthDay | hourMinute | seconds) < 0 || separators !== 0) return false;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (month < 1 || month > 12 || day < 1) return false;
  // Only a day past the 28th depends on the month and the year.
  if (day > 28 && day > daysInMonth((y0 * 10 + y1) * 100 + y2 * 10 + y3, month)) return false;
  if (h0 * 10 + h1 > 23 || i0 > 5 || s0 > 5) return false;
  let i = 19;
  let zone = value.charCodeAt(19);
  if (zone === 46) {
    // '.' and at least one digit
    i = 20;
    let c = value.charCodeAt(20) - 48; // NaN past the end
    if (!(c >= 0 && c <= 9)) return false;
    do {
      i += 1;
      c = value.charCodeAt(i) - 48;
    } while (c >= 0 && c <= 9);
    zone = c + 48;
  }
  if (zone === 90) return i + 1 === length; // 'Z'
  if (zone !== 43 && zone !== 45) return false; // '+', '-'
  // ±HH:MM
  if (i + 6 !== length) return false;
  const oh0 = value.charCodeAt(i + 1) - 48;
  const oh1 = value.charCodeAt(i + 2) - 48;
  const om0 = value.charCodeAt(i + 4) - 48;
  const om1 = value.charCodeAt(i + 5) - 48;
  const zoneDigits =
    negativeUnlessDigit(oh0) | negativeUnlessDigit(oh1) | negativeUnlessDigit(om0) | negativeUnlessDigit(om1);
  if (zoneDigits < 0) return false;
  return value.charCodeAt(i + 3) === 58 && oh0 * 10 + oh1 <= 23 && om0 <= 5;
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
 * With `remember` (the default) it also remembers the last few values it accepted (see
 * `rememberingTest`). Without it every value is checked: for a value that is new each time (an
 * event's own id and time), looking it up among remembered ones and storing it only cost.
 */
export function withCheck(
  regex: RegExp,
  source: string,
  check: (value: string) => boolean,
  remember = true,
): RegExp {
  if (regex.source !== source || regex.flags !== '') return regex;
  const fast = new RegExp(regex.source);
  const test = remember
    ? rememberingTest(regex, check)
    : (value: unknown): boolean => (typeof value === 'string' ? check(value) : regex.test(String(value)));
  Object.defineProperty(fast, 'test', { value: test });
  return fast;
}

/**
 * `check` behind a memory of the last few values it accepted: consecutive events repeat most of
 * theirs (the account, the call, its numbers and times), and comparing a string with a remembered
 * one costs a fraction of checking it. Values found again are kept over the others, so the ones that
 * keep coming back stay while one-off ones replace each other.
 */
function rememberingTest(regex: RegExp, check: (value: string) => boolean): (value: unknown) => boolean {
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
  return (value: unknown): boolean => {
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
}
