import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../src/db/connect.js';
import { storageBefore } from './helpers/storage-before.js';
import { startTestServer, TEST_DATABASE_URL } from './helpers/test-server.js';
import { ACME, alice } from './realtime-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const HOUR = 3_600_000;

/** A data folder (or PostgreSQL schema) holding an event log as the previous version wrote it. */
async function oldEventLog(startMs: number, times: readonly number[]) {
  const { old, dir, startWith } = await storageBefore('009', cleanups);
  for (const [i, at] of times.entries()) {
    const uuid = randomUUID();
    const json = JSON.stringify({ uuid, seq: i + 1, type: 'batch.updated', account_id: ACME, at });
    await sql`insert into event (uuid, account_id, seq, type, ref_id, created_on, json)
      values (${uuid}, ${ACME}, ${i + 1}, 'batch.updated', ${uuid}, ${new Date(startMs + at).toISOString()}, ${json})`.execute(
      old.db,
    );
  }
  await sql`insert into event_counter (account_id, last_seq) values (${ACME}, ${times.length})`.execute(
    old.db,
  );
  await old.close();
  return { dir, startWith };
}

describe('upgrading a database with recorded events', () => {
  it('reads the old events back, continues their seqs, and purges only what is past retention', async () => {
    const start = Date.now() - 30 * HOUR;
    // The fourth event was committed a moment before the third: an expired event after a kept one.
    const { startWith } = await oldEventLog(start, [0, 1 * HOUR, 10 * HOUR, 10 * HOUR - 1]);
    let now = Date.now();
    const server = await startTestServer({
      fastArgon2: true,
      clock: { now: () => now },
      ...startWith,
    });
    cleanups.push(() => server.close());
    const page = async () => {
      // Signed in at each read: the clock jumps by hours, past a session's life.
      const { token } = await alice(server);
      const res = await server.app.inject({
        method: 'GET',
        url: '/rest/event?after_seq=0',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().payload.data as { seq: number }[]).map((e) => e.seq);
    };
    expect(await page()).toEqual([1, 2, 3, 4]);

    const events = server.ctx.services.events!;
    const emitted = await events.emit({
      accountId: ACME,
      type: 'batch.updated',
      refId: randomUUID(),
      message: 'after the upgrade',
      payload: {
        uuid: randomUUID(),
        state: 'processing',
        total: 2,
        completed: 1,
        failed: 0,
        created_on: new Date(now).toISOString(),
        modified_on: new Date(now).toISOString(),
      },
    });
    expect(emitted.seq).toBe(5);

    // 24 h retention: the first two (30 h and 29 h old) go.
    expect(await events.purgeExpired()).toBe(2);
    expect(await page()).toEqual([3, 4, 5]);
    // 20 h later the third has expired; the fourth, a millisecond older, goes with it.
    now += 14 * HOUR + 2;
    expect(await events.purgeExpired()).toBe(2);
    expect(await page()).toEqual([5]);
  });
});

describe.runIf(TEST_DATABASE_URL === undefined)('the event table on the embedded database', () => {
  it('is read and purged through its (account, seq) key, never by scanning every event', async () => {
    const { dir } = await oldEventLog(Date.now(), [0]);
    const server = await startTestServer({ fastArgon2: true, dataDir: dir });
    await server.close();
    const db = new DatabaseSync(join(dir, SQLITE_FILE), { readOnly: true });
    try {
      const plan = (query: string, ...params: string[]) =>
        (db.prepare(`explain query plan ${query}`).all(...params) as { detail: string }[])
          .map((r) => r.detail)
          .join('; ');
      const cutoff = new Date().toISOString();
      const purge = plan(
        `delete from event where account_id = ? and seq < coalesce(
           (select kept.seq from event kept where kept.account_id = ? and kept.created_on >= ? order by kept.seq limit 1),
           (select c.last_seq + 1 from event_counter c where c.account_id = ?))`,
        ACME,
        ACME,
        cutoff,
        ACME,
      );
      const backfill = plan(
        'select seq, type, json from event where account_id = ? and seq > ? order by seq limit 10',
        ACME,
        '0',
      );
      const oldest = plan('select seq from event where account_id = ? order by seq limit 1', ACME);
      for (const p of [purge, backfill, oldest]) {
        expect(p).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_event_1 \(account_id=\?/);
        expect(p).not.toMatch(/SCAN event\b(?! USING)/);
        expect(p).not.toMatch(/TEMP B-TREE/);
      }
      // Nothing else is kept up to date on every insert.
      const indexes = db
        .prepare(`select name from sqlite_master where type = 'index' and tbl_name = 'event'`)
        .all();
      expect(indexes.map((r) => r.name)).toEqual(['sqlite_autoindex_event_1']);
    } finally {
      db.close();
    }
  });
});
