import type { Lease } from '@callwire/types';
import type { Selectable } from 'kysely';
import type { TnLeaseTable } from './db/tables.js';
import type { Emit, EventsPort, TelephonyDb } from './deps.js';
import { leaseOut } from './serialize.js';

/**
 * Changes some of an account's live leases and records `tn.updated` for each one that changed:
 * numbers also change when a SIP connection takes them or a profile they point to is deleted.
 */
export async function updateLeases(
  trx: TelephonyDb,
  emit: Emit,
  accountId: string,
  filter: {
    uuids?: readonly string[];
    column?: 'sip_connection' | 'messaging_profile' | 'tn_profile';
    equals?: string;
  },
  set: Partial<Pick<Selectable<TnLeaseTable>, 'sip_connection' | 'messaging_profile' | 'tn_profile'>>,
  now: string,
  what: string,
): Promise<number> {
  let q = trx
    .selectFrom('tn_lease')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('deleted_on', 'is', null);
  if (filter.uuids !== undefined) {
    if (filter.uuids.length === 0) return 0;
    q = q.where('uuid', 'in', [...filter.uuids]);
  }
  if (filter.column !== undefined && filter.equals !== undefined)
    q = q.where(filter.column, '=', filter.equals);
  const rows = await q.orderBy('tn').execute();
  let changed = 0;
  for (const row of rows) {
    const differs = Object.entries(set).some(([k, v]) => row[k as keyof typeof set] !== v);
    if (!differs) continue;
    await trx
      .updateTable('tn_lease')
      .set({ ...set, modified_on: now })
      .where('uuid', '=', row.uuid)
      .execute();
    await emitLease(emit, accountId, 'tn.updated', leaseOut({ ...row, ...set, modified_on: now }), what);
    changed++;
  }
  return changed;
}

export async function emitLease(
  emit: Emit,
  accountId: string,
  type: 'tn.updated' | 'tn.released',
  lease: Lease,
  what: string,
): Promise<void> {
  await emit({ accountId, type, refId: lease.uuid, message: `TN ${lease.tn} - ${what}`, payload: lease });
}

/** The things a lease can point to; each is soft-deleted and named by a lease column of the same name. */
export type LeaseTarget = 'sip_connection' | 'messaging_profile' | 'tn_profile';

/**
 * Soft-deletes a SIP connection or profile and, in the same transaction, detaches every number
 * that pointed to it (`tn.updated` each), so no lease is left naming something deleted.
 * `more` runs inside that transaction for what else goes with it.
 */
export async function deleteAndDetachLeases(
  events: EventsPort,
  accountId: string,
  target: LeaseTarget,
  uuid: string,
  now: string,
  what: string,
  more?: (trx: TelephonyDb) => Promise<unknown>,
): Promise<void> {
  await events.transaction(async (trx, emit) => {
    await trx
      .updateTable(target)
      .set({ deleted_on: now, modified_on: now })
      .where('uuid', '=', uuid)
      .execute();
    await updateLeases(trx, emit, accountId, { column: target, equals: uuid }, { [target]: null }, now, what);
    await more?.(trx);
  });
}
