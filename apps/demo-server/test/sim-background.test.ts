import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import type { Telephony } from '../src/telephony/telephony.js';
import { startTestServer, TEST_DATABASE_URL } from './helpers/test-server.js';

describe.runIf(TEST_DATABASE_URL !== undefined)(
  'the simulated network under request load (PostgreSQL)',
  () => {
    let server: RunningServer | undefined;
    afterAll(async () => {
      await server?.close();
    });

    it('keeps running due steps while every connection for requests is taken', async () => {
      server = await startTestServer({ seed: false });
      const telephony = server.ctx.services.telephony as Telephony;
      const ran = new Set<number>();
      telephony.worker.handle('test.count', {
        async run({ step, afterCommit }) {
          afterCommit(() => ran.add(step.id));
        },
      });
      const now = telephony.sim.now();
      const steps = Array.from({ length: 20 }, (_, i) => ({
        kind: 'test.count',
        target: `target-${i}`,
        accountId: 'none',
        dueMs: now,
      }));
      await telephony.steps.insert(telephony.deps.db, steps, now);
      // Requests hold every connection of their pool (as 100 clients sending do): the steps must
      // still be claimed and run.
      const pool = server.ctx.storage.pgPool;
      if (pool === undefined) throw new Error('no PostgreSQL pool');
      const held = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
      try {
        telephony.worker.nudge(now);
        const deadline = Date.now() + 10_000;
        while (ran.size < steps.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(ran.size).toBe(steps.length);
      } finally {
        for (const client of held) client.release();
      }
    }, 20_000);
  },
);
