import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../schema.js';
import type { Migration } from './migration.js';

/**
 * On SQLite, `sim_step` gets an index of its claimed steps only (`lease_until` where it is set).
 * The step worker asks for the earliest claim that will lapse each time it goes idle, several
 * times a second under load; without an index that read scanned every pending step (~1 ms with
 * 15,000 of them pending, as a few seconds of sends leave). On SQLite the worker writes a claim
 * only for the few steps that wait on the outside world (the others are taken in the transaction
 * that runs them), so the index costs the steps of a send nothing. PostgreSQL claims every step:
 * there each claim would also write this index, so it is left as it was.
 */
export const stepLeaseIndexMigration: Migration = {
  id: '010_step_lease_index',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    if (dialect === 'postgres') return;
    await sql`create index sim_step_lease on sim_step (lease_until) where lease_until is not null`.execute(
      db,
    );
  },
};
