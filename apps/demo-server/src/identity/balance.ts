import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { isoTime } from '../db/time.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Debits an account by `micros` only if the balance covers it, in one conditional UPDATE: exact
 * under any concurrency on both dialects (PostgreSQL locks the row for the statement; SQLite
 * serializes writers), and the balance never goes below zero. Returns the new balance, or
 * undefined when the balance was too low (answer 402 `insufficient_balance`). Call it inside the
 * transaction that records what was bought, so both commit or neither does.
 */
export async function debit(
  db: Db,
  accountId: string,
  micros: number,
  now: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable('account')
    .set({
      balance_micros: sql<number>`balance_micros - ${micros}`,
      modified_on: isoTime(now),
    })
    .where('uuid', '=', accountId)
    .where('balance_micros', '>=', micros)
    .returning('balance_micros')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.balance_micros);
}

/** Credits an account (refunds, top-ups); returns the new balance. */
export async function credit(db: Db, accountId: string, micros: number, now: number): Promise<number> {
  const row = await db
    .updateTable('account')
    .set({ balance_micros: sql<number>`balance_micros + ${micros}`, modified_on: isoTime(now) })
    .where('uuid', '=', accountId)
    .returning('balance_micros')
    .executeTakeFirstOrThrow();
  return Number(row.balance_micros);
}

export async function balanceOf(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('account')
    .select('balance_micros')
    .where('uuid', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.balance_micros);
}
