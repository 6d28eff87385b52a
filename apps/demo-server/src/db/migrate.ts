import { type Kysely, sql } from 'kysely';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import type { DialectName } from './schema.js';

/**
 * Applies the migrations not yet recorded in `schema_migration`, in id order, each in its own
 * transaction with its bookkeeping row. Safe to run at every start and from several instances at
 * once: on PostgreSQL a transaction-scoped advisory lock makes concurrent starters queue, and each
 * re-reads the applied list after taking it; SQLite's BEGIN IMMEDIATE does the same job.
 */
const MIGRATION_LOCK_ID = 872_431_001;

export async function migrate(
  db: Kysely<unknown>,
  dialect: DialectName,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): Promise<string[]> {
  await sql`create table if not exists schema_migration (id text primary key, applied_on text not null)`.execute(
    db,
  );
  const applied: string[] = [];
  const sorted = [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const migration of sorted) {
    const ran = await db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(trx);
      const done = await sql<{
        id: string;
      }>`select id from schema_migration where id = ${migration.id}`.execute(trx);
      if (done.rows.length > 0) return false;
      await migration.up(trx, dialect);
      await sql`insert into schema_migration (id, applied_on) values (${migration.id}, ${new Date(now()).toISOString()})`.execute(
        trx,
      );
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return applied;
}
