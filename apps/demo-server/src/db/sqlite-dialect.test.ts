import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from './connect.js';
import { inTransaction } from './transaction.js';

let storage: Storage;
let db: Kysely<unknown>;

beforeEach(async () => {
  storage = await openStorage({ memory: true });
  db = storage.db as unknown as Kysely<unknown>;
  await sql`create table item (id integer primary key, name text not null, note text)`.execute(db);
  await sql`insert into item (id, name, note) values (1, 'one', null), (2, 'two', 'x')`.execute(db);
});

afterEach(async () => {
  await storage.close();
});

describe('rows read from the embedded database', () => {
  it('are objects with one property per column, in and outside transactions', async () => {
    const outside = await sql`select * from item order by id`.execute(db);
    expect(outside.rows).toEqual([
      { id: 1, name: 'one', note: null },
      { id: 2, name: 'two', note: 'x' },
    ]);
    const inside = await inTransaction(storage.db, async (trx) =>
      sql`update item set name = 'uno' where id = 1 returning *`.execute(trx),
    );
    expect(inside.rows).toEqual([{ id: 1, name: 'uno', note: null }]);
  });

  it('keep the later value of a repeated column name, and a column named __proto__ as a column', async () => {
    const { rows } = await sql`select 1 as a, 2 as a, 3 as "__proto__"`.execute(db);
    const [row] = rows as Record<string, unknown>[];
    expect(row?.a).toBe(2);
    expect(Object.keys(row ?? {})).toContain('__proto__');
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe(3);
  });
});
