import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { isE164, isIsoDateTime, isUuid, withCheck } from '../src/formats.js';
import { DateTimeSchema, E164_PATTERN, E164Schema, UuidSchema } from '../src/index.js';

/*
 * The hand-written format checks must accept exactly what the regular expressions they replace
 * accept. Strings are drawn from each expression (valid ones), then mutated one character at a
 * time with the characters that matter to the format, so the boundaries are walked, not just
 * random noise (which the expressions almost always refuse).
 */

const UUID = z.regexes.uuid();
const DATE_TIME = z.regexes.datetime({ offset: true });

/** A string with one character replaced, removed or inserted, drawn from `alphabet`. */
function mutated(base: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> {
  const char = fc.constantFrom(...alphabet.split(''));
  return fc
    .tuple(base, fc.nat(), fc.constantFrom('replace', 'remove', 'insert'), char)
    .map(([s, n, how, c]) => {
      const at = s.length === 0 ? 0 : n % (s.length + (how === 'insert' ? 1 : 0));
      if (how === 'replace') return s.slice(0, at) + c + s.slice(at + 1);
      if (how === 'remove') return s.slice(0, at) + s.slice(at + 1);
      return s.slice(0, at) + c + s.slice(at);
    });
}

/** Valid strings, strings one or two edits away, and arbitrary strings. */
function near(regex: RegExp, alphabet: string, extra: fc.Arbitrary<string>[] = []): fc.Arbitrary<string> {
  const valid = fc.stringMatching(regex);
  return fc.oneof(
    valid,
    mutated(valid, alphabet),
    mutated(mutated(valid, alphabet), alphabet),
    fc.string({ unit: fc.constantFrom(...alphabet.split('')), maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    ...extra,
  );
}

const RUNS = { numRuns: 20_000 };

/** `check` accepts exactly the strings of `strings` that `regex` accepts. */
function agrees(check: (s: string) => boolean, regex: RegExp, strings: fc.Arbitrary<string>): void {
  fc.assert(
    fc.property(strings, (s) => {
      expect(check(s)).toBe(regex.test(s));
    }),
    RUNS,
  );
}

describe('UUIDs are checked exactly as zod checks them', () => {
  it('accepts and refuses the same strings as the expression', () => {
    const alphabet = '0123456789abcdefABCDEFgG-xz\n 8';
    const special = fc.constantFrom(
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
      '00000000-0000-0000-0000-000000000001',
    );
    agrees(isUuid, UUID, near(UUID, alphabet, [special, mutated(special, alphabet)]));
  });
});

describe('date-times are checked exactly as zod checks them', () => {
  it('accepts and refuses the same strings as the expression', () => {
    const alphabet = '0123456789-:T.Z+z t';
    // Around every boundary: each year's 29 February, each month's last days, 23:59:59 and the
    // zone's 23:59, one past each.
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const boundaries = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')),
        two(13),
        fc.integer({ min: 27, max: 32 }).map(String),
        fc.tuple(two(25), two(61), two(61)),
        fc.constantFrom('', '.', '.5', '.123456789'),
        fc.oneof(fc.constantFrom('Z', 'z', ''), fc.tuple(fc.constantFrom('+', '-'), two(25), two(61))),
      )
      .map(
        ([y, m, d, [hh, mm, ss], fraction, zone]) =>
          `${y}-${m}-${d}T${hh}:${mm}:${ss}${fraction}${typeof zone === 'string' ? zone : `${zone[0]}${zone[1]}:${zone[2]}`}`,
      );
    agrees(isIsoDateTime, DATE_TIME, near(DATE_TIME, alphabet, [boundaries, mutated(boundaries, alphabet)]));
  });
});

describe('E.164 numbers are checked exactly as the expression checks them', () => {
  it('accepts and refuses the same strings as the expression', () => {
    agrees(isE164, E164_PATTERN, near(E164_PATTERN, '+0123456789 -a'));
  });
});

describe('the schemas check repeated values like new ones', () => {
  it('accept and refuse the same as the expressions however values repeat', () => {
    // Values recur as in an event stream: a few ids and times over and over, mixed with new ones.
    const pools = [
      [UuidSchema, UUID, near(UUID, '0123456789abcdefABCDEF-g')],
      [DateTimeSchema, DATE_TIME, near(DATE_TIME, '0123456789-:T.Z+')],
      [E164Schema, E164_PATTERN, near(E164_PATTERN, '+0123456789')],
    ] as const;
    for (const [schema, regex, values] of pools) {
      fc.assert(
        fc.property(
          fc.array(values, { minLength: 1, maxLength: 6 }),
          fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
          (pool, picks) => {
            for (const pick of picks) {
              const value = pool[pick % pool.length]!;
              // The range check of date-times refuses some well-formed values too: compare formats only.
              const ok =
                schema.safeParse(value).error?.issues.some((i) => i.code === 'invalid_format') !== true;
              expect(ok).toBe(regex.test(value));
            }
          },
        ),
        { numRuns: 2_000 },
      );
    }
  });
});

describe('the schemas keep their formats', () => {
  it('report the same issues as before, with the original expression', () => {
    const uuid = UuidSchema.safeParse('not-a-uuid');
    expect(uuid.error?.issues).toEqual([
      expect.objectContaining({
        code: 'invalid_format',
        format: 'uuid',
        message: 'must be a UUID',
        pattern: String(UUID),
      }),
    ]);
    const date = DateTimeSchema.safeParse('2026-02-30T00:00:00Z');
    expect(date.error?.issues).toEqual([
      expect.objectContaining({ code: 'invalid_format', format: 'datetime', pattern: String(DATE_TIME) }),
    ]);
    const phone = E164Schema.safeParse('+0123456789');
    expect(phone.error?.issues).toEqual([
      expect.objectContaining({ code: 'invalid_format', format: 'regex', pattern: String(E164_PATTERN) }),
    ]);
  });

  it('test values with the hand-written checks, not the expressions', () => {
    // zod keeps a format's expression on its definition; a fast one carries its own `test`.
    const patternOf = (schema: { _zod: { def: unknown } }) =>
      (schema._zod.def as { pattern: RegExp }).pattern;
    expect(Object.hasOwn(patternOf(UuidSchema), 'test')).toBe(true);
    expect(Object.hasOwn(patternOf(DateTimeSchema), 'test')).toBe(true);
    const e164Check = E164Schema._zod.def.checks?.[0];
    expect(Object.hasOwn(patternOf(e164Check!), 'test')).toBe(true);
  });

  it('keep the expression when it is not the one the check was proven against', () => {
    const other = /^[0-9]+$/;
    expect(withCheck(other, '^\\+[1-9]\\d{7,14}$', isE164)).toBe(other);
    const fast = withCheck(E164_PATTERN, E164_PATTERN.source, isE164);
    expect(fast).not.toBe(E164_PATTERN);
    expect(fast.test('+12015550123')).toBe(true);
    expect(fast.test('12015550123')).toBe(false);
  });
});
