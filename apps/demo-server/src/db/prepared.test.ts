import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from './connect.js';
import { preparedInsertRows } from './prepared.js';
import { inTransaction } from './transaction.js';

interface Tables {
  item: { id: number; name: string };
}

let storage: Storage;
let db: Kysely<Tables>;

beforeEach(async () => {
  storage = await openStorage({ memory: true });
  db = storage.db as unknown as Kysely<Tables>;
  await sql`create table item (id integer primary key, name text not null)`.execute(db);
});

afterEach(async () => {
  await storage.close();
});

const insertItems = preparedInsertRows<Tables>(4, (kysely, rows) =>
  kysely.insertInto('item').values(Array.from({ length: rows }, () => ({ id: 0, name: '' }))),
);

describe('preparedInsertRows', () => {
  it('writes every row when there are more than one statement takes, inside and outside transactions', async () => {
    const rows = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => [from + i, `item ${from + i}`]);
    await insertItems(db, rows(1, 10));
    await inTransaction(storage.db, (trx) => insertItems(trx as unknown as Kysely<Tables>, rows(11, 3)));
    await insertItems(db, []);
    const stored = await db.selectFrom('item').select(['id', 'name']).orderBy('id').execute();
    expect(stored).toEqual(rows(1, 13).map(([id, name]) => ({ id, name })));
  });

  it('writes nothing of a statement that fails', async () => {
    await insertItems(db, [[1, 'one']]);
    await expect(
      insertItems(db, [
        [2, 'two'],
        [1, 'again'],
      ]),
    ).rejects.toThrow(/UNIQUE/);
    expect(await db.selectFrom('item').select('id').execute()).toEqual([{ id: 1 }]);
  });
});
