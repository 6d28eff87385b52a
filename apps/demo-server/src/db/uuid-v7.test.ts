import { describe, expect, it } from 'vitest';
import { uuidV7 } from './uuid-v7.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 74 random bits of a v7 id (after the version digit, without the variant's two fixed bits). */
function randomBits(uuid: string): string {
  const bits = BigInt(`0x${uuid.replaceAll('-', '')}`)
    .toString(2)
    .padStart(128, '0');
  return bits.slice(52, 64) + bits.slice(66);
}

describe('uuidV7', () => {
  it('is a version 7 UUID whose first 48 bits are the given millisecond', () => {
    for (const ms of [0, 1, 1_767_225_600_123, 2 ** 48 - 1]) {
      const uuid = uuidV7(ms);
      expect(uuid).toMatch(V7);
      expect(Number.parseInt(uuid.replaceAll('-', '').slice(0, 12), 16)).toBe(ms);
    }
  });

  it('ids of a later millisecond sort after those of an earlier one', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => uuidV7(1_767_225_600_000 + Math.floor(i / 10)));
    for (let i = 10; i < ids.length; i++) expect(ids[i]! > ids[i - 10]!).toBe(true);
  });

  it('ids of one millisecond are all different, and every random bit takes both values', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidV7(1_767_225_600_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const uuid of ids) expect(uuid).toMatch(V7);
    const ones = new Array<number>(74).fill(0);
    for (const uuid of ids) {
      const bits = randomBits(uuid);
      for (let b = 0; b < 74; b++) if (bits[b] === '1') ones[b]!++;
    }
    // Each bit is 1 in about half of the ids: far from 0 and from all of them.
    for (const n of ones) expect(n / ids.length).toBeGreaterThan(0.45);
    for (const n of ones) expect(n / ids.length).toBeLessThan(0.55);
  });
});
