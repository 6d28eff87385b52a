import { describe, expect, it } from 'vitest';
import { singleFlight } from '../src/single-flight.js';

describe('singleFlight', () => {
  it('gives concurrent callers one promise and one run', async () => {
    let runs = 0;
    const run = singleFlight(async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return runs;
    });
    const results = await Promise.all(Array.from({ length: 100 }, () => run()));
    expect(runs).toBe(1);
    expect(new Set(results)).toEqual(new Set([1]));
  });

  it('starts a new run once the previous one settled, failures included', async () => {
    let runs = 0;
    const run = singleFlight(async () => {
      runs += 1;
      if (runs === 1) throw new Error('first fails');
      return runs;
    });
    await expect(run()).rejects.toThrow('first fails');
    expect(run.current).toBeUndefined();
    await expect(run()).resolves.toBe(2);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const run = singleFlight<number>(() => {
      throw new Error('sync');
    });
    await expect(run()).rejects.toThrow('sync');
  });
});
