import { type Kysely, sql } from 'kysely';
import { RENEWAL_PERIOD_MS } from '../money.js';

/**
 * Migration 004: `tn_lease.paid_until`, the end of the month a number is paid for (the first month
 * is paid with the purchase). Existing numbers are paid for 30 days from their purchase.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tn_lease').addColumn('paid_until', 'text').execute();
  const rows = await sql<{ uuid: string; created_on: string }>`select uuid, created_on from tn_lease`.execute(
    db,
  );
  for (const r of rows.rows) {
    const until = new Date(Date.parse(r.created_on) + RENEWAL_PERIOD_MS).toISOString();
    await sql`update tn_lease set paid_until = ${until} where uuid = ${r.uuid}`.execute(db);
  }
}
