import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, hasBuiltServer, spawnServer } from './helpers/child-server.js';
import { loginAlice, readDataFolder, sendLoad } from './helpers/send-load.js';
import { TEST_DATABASE_URL } from './helpers/test-server.js';
import { ACME } from './telephony-harness.js';

const running: ChildServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.kill()));
});

/** The account's outbound messages and their lifecycle events, read straight from the data folder. */
function readFolder(dir: string) {
  return readDataFolder(dir, (db) => {
    const sms = db
      .prepare("select uuid, state from sms where account_id = ? and direction = 'out'")
      .all(ACME) as { uuid: string; state: string }[];
    const events = db
      .prepare("select type, ref_id as ref from event where account_id = ? and type like 'sms.%'")
      .all(ACME) as { type: string; ref: string }[];
    const { n } = db.prepare("select count(*) as n from sim_step where kind like 'sms.%'").get() as {
      n: number;
    };
    return { sms, events, pendingSmsSteps: Number(n) };
  });
}

describe.runIf(hasBuiltServer && TEST_DATABASE_URL === undefined)(
  'the simulated network on the embedded database',
  () => {
    it('killed (kill -9) while message lifecycles run: after restart every message is delivered once, none skips or repeats a step', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'callwire-steps-kill-'));
      // 20 times faster: a lifecycle (sending, sent, delivered) takes 150 ms, so batches of steps
      // run all the time while the sends go on.
      const args = ['--rate-limit', '0', '--data-dir', dir, '--sim-speed', '20'];
      try {
        const acknowledged: string[] = [];
        // Three times: sends go on while steps run, then kill -9.
        for (let round = 0; round < 3; round++) {
          const server = await spawnServer(args);
          running.push(server);
          const load = sendLoad(server, await loginAlice(server.url), 20, '+1212557');
          // Until many messages are mid-lifecycle and the first ones delivered.
          await load.until(400);
          acknowledged.push(...(await load.kill()));
          expect((await readFolder(dir)).pendingSmsSteps).toBeGreaterThan(0);
        }

        const second = await spawnServer(args);
        running.push(second);
        for (let i = 0; i < 200 && (await readFolder(dir)).pendingSmsSteps > 0; i++)
          await new Promise((r) => setTimeout(r, 50));
        await second.stop();

        const after = await readFolder(dir);
        expect(after.pendingSmsSteps).toBe(0);
        const state = new Map(after.sms.map((s) => [s.uuid, s.state]));
        for (const uuid of acknowledged) expect(state.get(uuid)).toBe('delivered');
        // Each message's events: created, sent and delivered, each exactly once.
        const count = new Map<string, number>();
        for (const e of after.events)
          count.set(`${e.ref} ${e.type}`, (count.get(`${e.ref} ${e.type}`) ?? 0) + 1);
        for (const { uuid } of after.sms)
          for (const type of ['sms.created', 'sms.sent', 'sms.delivered'])
            expect(`${uuid} ${type} ×${count.get(`${uuid} ${type}`) ?? 0}`).toBe(`${uuid} ${type} ×1`);
      } finally {
        await Promise.all(running.splice(0).map((s) => s.kill()));
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  },
);
