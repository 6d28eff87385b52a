import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { type Kysely, sql, type Transaction } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, SQLITE_FILE, type Storage } from './connect.js';
import type { CommitWork } from './group-commit.js';
import { loadSqlite } from './quiet-sqlite.js';
import type { Database } from './schema.js';
import { inTransaction } from './transaction.js';

let dir: string;
let storage: Storage;
/** A second connection to the same file: it sees only what is committed. */
let observer: DatabaseSync;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callwire-group-'));
  // Only the size bounds a group here: a slow machine must not split the groups the tests expect.
  storage = await openStorage({ dataDir: dir, groupCommit: { maxGroup: 3, maxWaitMs: 60_000 } });
  await sql`create table note (id integer primary key, text text not null unique)`.execute(storage.db);
  const { DatabaseSync } = await loadSqlite();
  observer = new DatabaseSync(join(dir, SQLITE_FILE));
});

afterEach(async () => {
  observer.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

function committed(): string[] {
  return (observer.prepare('select text from note order by id').all() as { text: string }[]).map(
    (r) => r.text,
  );
}

function add(trx: Transaction<Database> | Kysely<Database>, text: string) {
  return sql`insert into note (text) values (${text})`.execute(trx);
}

describe('group commit on the embedded database', () => {
  it('commits transactions that arrive together at once, and answers each only after that commit', async () => {
    const seenInside: string[][] = [];
    const seenWhenAnswered: string[][] = [];
    const write = (text: string) =>
      inTransaction(storage.db, async (trx) => {
        seenInside.push(committed());
        await add(trx, text);
        return text;
      }).then((value) => {
        seenWhenAnswered.push(committed());
        return value;
      });
    expect(await Promise.all([write('a'), write('b'), write('c')])).toEqual(['a', 'b', 'c']);
    // While the group ran nothing was committed; each answer came with all three committed.
    expect(seenInside).toEqual([[], [], []]);
    expect(seenWhenAnswered).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
  });

  it('rolls back only the failing transaction of a group, and fails only its caller', async () => {
    const results = await Promise.allSettled([
      inTransaction(storage.db, (trx) => add(trx, 'kept-1')),
      inTransaction(storage.db, async (trx) => {
        await add(trx, 'undone');
        await add(trx, 'kept-1'); // violates the unique text: this transaction fails
      }),
      inTransaction(storage.db, (trx) => add(trx, 'kept-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(committed()).toEqual(['kept-1', 'kept-2']);
  });

  it('a failing transaction after ones that ran no statement undoes only its own writes', async () => {
    const results = await Promise.allSettled([
      inTransaction(storage.db, (trx) => add(trx, 'kept-1')),
      inTransaction(storage.db, async () => 'no statement'),
      inTransaction(storage.db, async (trx) => {
        await new Promise((resolve) => setImmediate(resolve));
        await add(trx, 'undone');
        throw new Error('changed my mind');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const failedEarly = await Promise.allSettled([
      inTransaction(storage.db, (trx) => add(trx, 'kept-2')),
      inTransaction(storage.db, async () => {
        throw new Error('failed before any statement');
      }),
      inTransaction(storage.db, (trx) => add(trx, 'kept-3')),
    ]);
    expect(failedEarly.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed()).toEqual(['kept-1', 'kept-2', 'kept-3']);
  });

  it('each transaction sees the writes of those before it in its group', async () => {
    const counts = await Promise.all(
      ['a', 'b', 'c'].map((text) =>
        inTransaction(storage.db, async (trx) => {
          await add(trx, text);
          const { rows } = await sql<{ n: number }>`select count(*) as n from note`.execute(trx);
          return rows[0]?.n;
        }),
      ),
    );
    expect(counts).toEqual([1, 2, 3]);
  });

  it('closes a group at its size bound: the next transaction finds the earlier group committed', async () => {
    const seen: string[][] = [];
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((text) =>
        inTransaction(storage.db, async (trx) => {
          seen.push(committed());
          await add(trx, text);
        }),
      ),
    );
    expect(seen).toEqual([[], [], [], ['a', 'b', 'c']]);
  });

  it('runs commit callbacks in commit order, and never for a transaction that failed', async () => {
    const calls: string[] = [];
    const tx = (text: string, fail = false) =>
      inTransaction(storage.db, async (trx, hooks) => {
        hooks.afterCommit(() => calls.push(`${text}: ${committed().includes(text)}`));
        await add(trx, text);
        if (fail) throw new Error('refused');
      });
    await Promise.allSettled([tx('a'), tx('b', true), tx('c'), tx('d')]);
    expect(calls).toEqual(['a: true', 'c: true', 'd: true']);
  });

  it('runs work the transactions of a group share once, before their commit, leaving out failed ones', async () => {
    // Each transaction notes its text; the shared work writes the notes of its group in one row.
    const notes = new Map<object, string[]>();
    const calls: string[] = [];
    const writeNotes: CommitWork = async (trx, hooks) => {
      const texts = notes.get(trx) ?? [];
      await add(trx, `together: ${texts.join(',')}`);
      hooks.afterCommit(() => calls.push(`published ${texts.join(',')}: ${committed().length} rows`));
    };
    const tx = (text: string, fail = false) =>
      inTransaction(storage.db, async (trx, hooks) => {
        hooks.beforeCommit(writeNotes);
        if (fail) throw new Error('refused');
        notes.set(trx, [...(notes.get(trx) ?? []), text]);
      });
    const results = await Promise.allSettled([tx('a'), tx('b', true), tx('c'), tx('d')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    // Groups of three: a, b (failed), c; then d alone.
    expect(committed()).toEqual(['together: a,c', 'together: d']);
    expect(calls).toEqual(['published a,c: 1 rows', 'published d: 2 rows']);
  });

  it('commits a lone transaction without waiting for others to join', async () => {
    await inTransaction(storage.db, (trx) => add(trx, 'alone'));
    expect(committed()).toEqual(['alone']);
  });
});
