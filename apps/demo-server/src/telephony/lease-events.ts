import type { Lease } from '@callwire/types';
import type { Emit, EventsPort, TelephonyDb } from './deps.js';
import { leaseOut } from './serialize.js';
import { AccountOwnedStore } from './stores/account-owned-store.js';
import { type LeaseRow, type LeaseSelection, LeaseStore, type LeaseTarget } from './stores/lease-store.js';

/**
 * Changes some of an account's live leases and records `tn.updated` for each one that changed:
 * numbers also change when a SIP connection takes them or a profile they point to is deleted.
 */
export async function updateLeases(
  trx: TelephonyDb,
  emit: Emit,
  accountId: string,
  selection: LeaseSelection,
  set: Partial<Pick<LeaseRow, LeaseTarget>>,
  now: string,
  what: string,
): Promise<number> {
  const leases = new LeaseStore(trx);
  const rows = await leases.selected(accountId, selection);
  let changed = 0;
  for (const row of rows) {
    const differs = Object.entries(set).some(([k, v]) => row[k as keyof typeof set] !== v);
    if (!differs) continue;
    await leases.update(row.uuid, { ...set, modified_on: now });
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
    await new AccountOwnedStore(trx, target).delete(uuid, now);
    await updateLeases(trx, emit, accountId, { column: target, equals: uuid }, { [target]: null }, now, what);
    await more?.(trx);
  });
}
