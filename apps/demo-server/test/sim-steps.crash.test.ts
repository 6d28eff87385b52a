import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../src/db/connect.js';
import { loadSqlite } from '../src/db/quiet-sqlite.js';
import { type ChildServer, hasBuiltServer, spawnServer } from './helpers/child-server.js';
import { TEST_DATABASE_URL } from './helpers/test-server.js';
import { ACME, ACME_NUMBERS } from './telephony-harness.js';

const running: ChildServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.kill()));
});

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/rest/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
  });
  return ((await res.json()) as { payload: { token: string } }).payload.token;
}

/** The account's outbound messages and their lifecycle events, read straight from the data folder. */
async function readFolder(dir: string) {
  const { DatabaseSync } = await loadSqlite();
  const db = new DatabaseSync(join(dir, SQLITE_FILE));
  try {
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
  } finally {
    db.close();
  }
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
          const token = await login(server.url);
          const answered: string[] = [];
          let killed = false;
          const client = async (i: number) => {
            while (!killed) {
              try {
                const res = await fetch(`${server.url}/rest/sms`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                  body: JSON.stringify({
                    from: ACME_NUMBERS[0],
                    to: `+1212557${String(1000 + i)}`,
                    message: 'hi',
                  }),
                });
                const json = (await res.json()) as { payload: { uuid: string } };
                if (!killed && res.ok) answered.push(json.payload.uuid);
              } catch (error) {
                if (killed) return; // the connection died with the server
                throw error;
              }
            }
          };
          const clients = Promise.all(Array.from({ length: 20 }, (_, i) => client(i)));
          // Until many messages are mid-lifecycle and the first ones delivered.
          while (answered.length < 400) await Promise.race([clients, new Promise((r) => setTimeout(r, 5))]);
          acknowledged.push(...answered);
          killed = true;
          await server.kill();
          await clients;
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
