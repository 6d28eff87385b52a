import type { ListPayload } from '@callwire/types';
import type { Selectable } from 'kysely';
import type { TelephonyTables } from './db/tables.js';
import type { TelephonyDb } from './deps.js';

export interface Page {
  take: number;
  skip: number;
}

export function listOf<T>(page: Page, total: number, data: T[]): ListPayload<T> {
  return { take: page.take, skip: page.skip, total, data };
}

/** Numbers come back from PostgreSQL counts as strings; SQLite gives numbers. */
export function count(row: { n: unknown } | undefined): number {
  return row === undefined ? 0 : Number(row.n);
}

/** Account-owned, soft-deleted tables listed oldest first (profiles and SIP connections). */
export type AccountListTable = 'messaging_profile' | 'tn_profile' | 'sip_connection';

/** One page of an account's live rows of `table`, oldest first, with the total. */
export async function accountPage<T extends AccountListTable>(
  db: TelephonyDb,
  table: T,
  accountId: string,
  page: Page,
): Promise<{ total: number; rows: Selectable<TelephonyTables[T]>[] }> {
  // Kysely cannot follow a generic table name; the three tables share the columns used here.
  const q = db
    .selectFrom(table as AccountListTable)
    .where('account_id', '=', accountId)
    .where('deleted_on', 'is', null);
  const total = count(await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst());
  const rows = await q
    .selectAll()
    .orderBy('created_on')
    .orderBy('uuid')
    .limit(page.take)
    .offset(page.skip)
    .execute();
  return { total, rows: rows as Selectable<TelephonyTables[T]>[] };
}
