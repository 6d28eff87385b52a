import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import type { Telephony } from '../src/telephony/telephony.js';
import { dropSchema, startTestServer, TEST_DATABASE_URL } from './helpers/test-server.js';

function telephonyOf(server: RunningServer): Telephony {
  const t = server.ctx.services.telephony;
  if (t === undefined) throw new Error('no telephony');
  return t;
}

describe.runIf(TEST_DATABASE_URL !== undefined)('two instances racing over the same steps', () => {
  const schema = `race_${randomBytes(6).toString('hex')}`;
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    await dropSchema(schema);
  });

  it('runs each of 1,000 due steps exactly once, shared between the instances, even when claims lapse mid-run', async () => {
    // Claims of 2 ms lapse while their steps run: the other instance takes them over and races the
    // first to the end; only one run of each may commit.
    for (let i = 0; i < 2; i++) {
      servers.push(await startTestServer({ databaseSchema: schema, seed: false, sim: { leaseMs: 2 } }));
    }
    const runs = new Map<number, number>();
    const perInstance = [0, 0];
    servers.forEach((server, i) => {
      telephonyOf(server).worker.handle('test.count', {
        async run({ step, afterCommit }) {
          // Counted only once the run committed: a run that rolled back did not happen.
          afterCommit(() => {
            runs.set(step.id, (runs.get(step.id) ?? 0) + 1);
            perInstance[i] = (perInstance[i] ?? 0) + 1;
          });
        },
      });
    });
    const [a, b] = servers.map(telephonyOf) as [Telephony, Telephony];
    const now = a.sim.now();
    const steps = Array.from({ length: 1000 }, (_, i) => ({
      kind: 'test.count',
      target: `target-${i}`,
      accountId: 'none',
      dueMs: now,
    }));
    await a.steps.insert(a.deps.db, steps, now);
    a.worker.nudge(now);
    b.worker.nudge(now);
    const deadline = Date.now() + 30_000;
    while (runs.size < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    expect(runs.size).toBe(1000);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(perInstance[0]).toBeGreaterThan(0);
    expect(perInstance[1]).toBeGreaterThan(0);
  }, 40_000);
});
