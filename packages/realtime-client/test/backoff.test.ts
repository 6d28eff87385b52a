import { describe, expect, it } from 'vitest';
import { Backoff } from '../src/backoff.js';

describe('full-jitter backoff', () => {
  it('doubles the ceiling from 0.5 s up to 20 s and draws uniformly below it', () => {
    const ceilings: number[] = [];
    const b = new Backoff({ random: () => 0.999999 });
    for (let i = 0; i < 10; i++) ceilings.push(b.next());
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 15999, 19999, 19999, 19999, 19999]);
    const zero = new Backoff({ random: () => 0 });
    expect([zero.next(), zero.next(), zero.next()]).toEqual([0, 0, 0]);
  });

  it('resets to the first window', () => {
    const b = new Backoff({ random: () => 0.5 });
    b.next();
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(250);
    expect(b.stableAfter).toBe(5000);
  });

  it('honours a floor (4429: too many connections)', () => {
    expect(new Backoff({ random: () => 0 }).next(5000)).toBe(5000);
  });

  it('refuses nonsense options', () => {
    expect(() => new Backoff({ initial: 0 })).toThrow(TypeError);
    expect(() => new Backoff({ initial: 1000, max: 10 })).toThrow(TypeError);
  });
});
