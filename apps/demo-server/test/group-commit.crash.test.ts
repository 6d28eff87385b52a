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

/** What the data folder holds, read straight from the file as a restarted server finds it. */
function readFolder(dir: string) {
  return readDataFolder(dir, (db) => {
    const balance = db.prepare('select balance_micros as b from account where uuid = ?').get(ACME) as {
      b: number;
    };
    const sms = db
      .prepare("select uuid, cost_micros as cost from sms where account_id = ? and direction = 'out'")
      .all(ACME) as { uuid: string; cost: number }[];
    const events = db
      .prepare('select seq, type, ref_id as ref from event where account_id = ? order by seq')
      .all(ACME) as { seq: number; type: string; ref: string }[];
    return { balance: Number(balance.b), sms, events };
  });
}

describe.runIf(hasBuiltServer && TEST_DATABASE_URL === undefined)(
  'group commit on the embedded database',
  () => {
    it('killed (kill -9) while groups of sends are committing: every send answered 2xx is stored after restart, and no send is half stored', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'callwire-group-kill-'));
      const args = ['--rate-limit', '0', '--data-dir', dir];
      try {
        const first = await spawnServer(args);
        running.push(first);
        const token = await loginAlice(first.url);
        const before = await readFolder(dir);

        // 40 clients send back to back, so groups are forming and committing when the kill lands.
        const load = sendLoad(first, token, 40, '+1212556');
        await load.until(300);
        const acknowledged = await load.kill();

        const after = await readFolder(dir);
        const stored = new Set(after.sms.map((s) => s.uuid));
        for (const uuid of acknowledged) expect(stored.has(uuid)).toBe(true);
        // Each stored send is whole: its debit, its sms.created event, and nothing of a send that is not stored.
        const newSms = after.sms.filter((s) => !before.sms.some((b) => b.uuid === s.uuid));
        const debited = newSms.reduce((sum, s) => sum + s.cost, 0);
        expect(before.balance - after.balance).toBe(debited);
        const created = after.events.filter((e) => e.type === 'sms.created').map((e) => e.ref);
        expect(new Set(created)).toEqual(new Set([...stored]));
        expect(created.length).toBe(stored.size);
        const seqs = after.events.map((e) => e.seq);
        expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => (seqs[0] as number) + i));

        const second = await spawnServer(args);
        running.push(second);
        const again = await loginAlice(second.url);
        for (const uuid of acknowledged.slice(0, 20)) {
          const res = await fetch(`${second.url}/rest/sms/${uuid}`, {
            headers: { authorization: `Bearer ${again}` },
          });
          expect(res.status).toBe(200);
        }
      } finally {
        await Promise.all(running.splice(0).map((s) => s.kill()));
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  },
);
