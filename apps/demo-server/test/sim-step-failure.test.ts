import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, Harness } from './telephony-harness.js';

describe('a step that fails among others due at the same time', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  it('costs the others nothing: each of them takes effect exactly once, and the failed one is tried again later', async () => {
    const effects: string[] = [];
    let failures = 0;
    const worker = h.telephony.worker;
    // Effects are counted when their transaction commits: a run that rolled back counts for nothing.
    worker.handle('test.effect', {
      async run({ step, afterCommit }) {
        afterCommit(() => effects.push(step.target));
      },
    });
    worker.handle('test.fails', {
      async run() {
        failures++;
        throw new Error('this step always fails');
      },
    });
    const targets = Array.from({ length: 6 }, (_, i) => `target-${i}`);
    await h.telephony.deps.events.transaction(async (_trx, _emit, schedule) => {
      for (const [i, target] of targets.entries())
        schedule({ kind: i === 3 ? 'test.fails' : 'test.effect', target, accountId: ACME, inSimMs: 50 });
    });
    await h.advance(50);
    const others = targets.filter((t) => t !== 'target-3');
    expect(effects.sort()).toEqual(others);
    const failedSoFar = failures;
    expect(failedSoFar).toBeGreaterThan(0);
    expect(await h.telephony.steps.pending()).toBe(1);
    // Tried again after a pause; the others never run again.
    await h.advance(2_000);
    expect(failures).toBeGreaterThan(failedSoFar);
    expect(effects.sort()).toEqual(others);
  });
});
