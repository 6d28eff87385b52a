import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import {
  type CommitHooks,
  type CommitWork,
  type GroupCommit,
  runCallbacks,
  runCommitWork,
} from './group-commit.js';
import { bindTransaction } from './prepared.js';
import type { Database, DialectName } from './schema.js';

export type { CommitHooks } from './group-commit.js';

const groups = new WeakMap<object, GroupCommit>();

/** Makes {@link inTransaction} on `db` commit through `group` (the embedded database does). */
export function registerGroupCommit(db: Kysely<Database>, group: GroupCommit): void {
  groups.set(db, group);
}

/**
 * Runs `fn` in one transaction and resolves once its writes are committed. Work that must wait for
 * the commit (publishing events, waking workers) goes to `hooks.afterCommit`.
 *
 * On SQLite concurrent calls are committed together (see group-commit.ts): each runs alone on the
 * connection in its own savepoint, under the write lock, so read-modify-write sequences serialize;
 * a failure undoes only its own writes. Inside `fn` use only `trx`, never the outer `db` (it would
 * wait for this transaction forever). On PostgreSQL (READ COMMITTED) take row locks with
 * {@link forUpdate} before reading what you will write, or write with a single conditional UPDATE
 * (see the telephony ledger's debit in telephony/stores/ledger-store.ts).
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>, hooks: CommitHooks) => T | Promise<T>,
): Promise<T> {
  const group = groups.get(db);
  // The group's own promise, not one wrapping it: an emit on a busy server is a few µs, and each
  // layer of promise around it costs a share of that.
  if (group !== undefined)
    return group.run((trx, hooks) => {
      bindTransaction(trx, db);
      return fn(trx, hooks);
    });
  return alone(db, fn);
}

/** A transaction of its own (PostgreSQL), with its commit work and callbacks. */
async function alone<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>, hooks: CommitHooks) => T | Promise<T>,
): Promise<T> {
  const committed: (() => void)[] = [];
  let workCommitted: (() => void)[] = [];
  const value = await db.transaction().execute(async (trx) => {
    bindTransaction(trx, db);
    const work = new Set<CommitWork>();
    const result = await fn(trx, {
      afterCommit: (callback) => committed.push(callback),
      beforeCommit: (callback) => work.add(callback),
    });
    if (work.size > 0) workCommitted = await runCommitWork(trx, work);
    return result;
  });
  runCallbacks(workCommitted);
  runCallbacks(committed);
  return value;
}

/** `SELECT … FOR UPDATE` on PostgreSQL; a no-op on SQLite, where the transaction already holds the write lock. */
export function forUpdate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  dialect: DialectName,
): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate() : query;
}
