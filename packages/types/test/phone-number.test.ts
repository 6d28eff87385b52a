import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E164_PATTERN, normalizePhoneNumber, PhoneNumberSchema } from '../src/index.js';

describe('phone numbers are normalised to E.164', () => {
  it.each([
    ['+12015550123', '+12015550123'],
    ['2015550123', '+12015550123'],
    ['12015550123', '+12015550123'],
    [' (201) 555-0123 ', '+12015550123'],
    ['201.555.0123', '+12015550123'],
    ['+442071838750', '+442071838750'],
  ])('%s becomes %s', (input, expected) => {
    expect(PhoneNumberSchema.parse(input)).toBe(expected);
  });

  it.each([
    '',
    '555-0123',
    '0123456789',
    '1015550123',
    '22015550123',
    '+0123456789',
    'call me',
    '+1 201 555 0123 ext 4',
    '+1234567890123456',
  ])('%j is refused with a message that says what is accepted', (input) => {
    const r = PhoneNumberSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/E\.164.*10-digit US/);
  });

  it('refuses non-strings', () => {
    expect(PhoneNumberSchema.safeParse(2015550123).success).toBe(false);
  });

  it('whatever the input, the output is either undefined or valid E.164, and normalising twice changes nothing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+?1?[2-9]\d{9}$/)), (s) => {
        const n = normalizePhoneNumber(s);
        if (n === undefined) return true;
        return E164_PATTERN.test(n) && normalizePhoneNumber(n) === n;
      }),
    );
  });
});
