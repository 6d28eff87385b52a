import { type Selectable, type SelectQueryBuilder, type StringReference, sql } from 'kysely';
import type { TelephonyTables } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';

/** Numbers come back from PostgreSQL counts as strings; SQLite gives numbers. */
export function count(row: { n: unknown } | undefined): number {
  return row === undefined ? 0 : Number(row.n);
}

/** How a list is sorted: columns with their direction, the last one a unique tie-breaker. */
export type ListOrder<DB, TB extends keyof DB> = readonly (readonly [
  StringReference<DB, TB>,
  'asc' | 'desc',
])[];

/** Newest first, as the SMS and order searches list (ties broken by uuid). */
export const NEWEST_FIRST = [
  ['created_on', 'desc'],
  ['uuid', 'asc'],
] as const;

/**
 * One page of a filtered query's rows in `order`, with the total the filter matches: how every
 * telephony list and search pages (`take`/`skip`).
 */
export async function pagedSearch<DB, TB extends keyof DB & string>(
  filtered: SelectQueryBuilder<DB, TB, object>,
  order: ListOrder<DB, TB>,
  page: Page,
): Promise<{ total: number; rows: Selectable<DB[TB]>[] }> {
  const total = count(
    (await filtered.select(sql<number>`count(*)`.as('n')).executeTakeFirst()) as { n: unknown } | undefined,
  );
  let q = filtered.selectAll();
  for (const [column, direction] of order) q = q.orderBy(sql.ref(column as string), direction);
  const rows = await q.limit(page.take).offset(page.skip).execute();
  return { total, rows: rows as Selectable<DB[TB]>[] };
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
  const { total, rows } = await pagedSearch(
    q,
    [
      ['created_on', 'asc'],
      ['uuid', 'asc'],
    ],
    page,
  );
  return { total, rows: rows as Selectable<TelephonyTables[T]>[] };
}
