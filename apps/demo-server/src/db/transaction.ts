import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import type { Database, DialectName } from './schema.js';

/**
 * Runs `fn` in one transaction. On SQLite it starts with BEGIN IMMEDIATE (the write lock is taken
 * first, so read-modify-write sequences serialize) and Kysely's connection mutex keeps everything
 * else waiting until it ends: inside `fn` use only `trx`, never the outer `db` (it would wait for
 * this transaction forever). On PostgreSQL (READ COMMITTED) take row locks with {@link forUpdate}
 * before reading what you will write, or write with a single conditional UPDATE (see
 * identity/balance.ts).
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(fn);
}

/** `SELECT … FOR UPDATE` on PostgreSQL; a no-op on SQLite, where the transaction already holds the write lock. */
export function forUpdate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  dialect: DialectName,
): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate() : query;
}
