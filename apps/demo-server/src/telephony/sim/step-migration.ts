import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/schema.js';

/**
 * `sim_step`: every delayed step of the simulated network is a row, written in the transaction of
 * the state change that schedules it, so that any instance can run it (and a restart finds it).
 * `call.composite` names the click-to-call or rapid-response request a call leg belongs to, so the
 * steps that answer or end the leg can move that request along without anything kept in memory.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('sim_step')
    // A serial id breaks ties between steps due at the same millisecond: creation order.
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sim_step_due').on('sim_step').columns(['due_on', 'id']).execute();
  await db.schema.createIndex('sim_step_target').on('sim_step').columns(['target', 'due_on', 'id']).execute();
  await db.schema.alterTable('call').addColumn('composite', 'text').execute();
}
