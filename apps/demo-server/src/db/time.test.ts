import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsoCache } from './time.js';

describe('ISO times formatted once per recent millisecond', () => {
  it('gives the same string as Date#toISOString for any sequence of times, repeated or not', () => {
    // Times drawn from a few milliseconds so that repeats, evictions and re-entries all happen.
    const base = Date.UTC(2026, 11, 6, 23, 59, 59, 990);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }),
        (slots, offsets) => {
          const cache = new IsoCache(slots);
          for (const offset of offsets)
            expect(cache.iso(base + offset)).toBe(new Date(base + offset).toISOString());
        },
      ),
    );
  });

  it('still refuses an invalid time', () => {
    const cache = new IsoCache(4);
    expect(() => cache.iso(Number.NaN)).toThrow(RangeError);
    expect(() => cache.iso(Number.NaN)).toThrow(RangeError);
  });
});
