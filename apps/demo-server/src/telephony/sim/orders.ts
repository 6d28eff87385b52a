import { randomUUID } from 'node:crypto';
import type { Order, OrderItem } from '@callwire/types';
import { emitBalance, emitOrder } from '../account-events.js';
import type { Emit, Ledger, TelephonyDb } from '../deps.js';
import { findInventoryNumber } from '../inventory.js';
import { emitLease } from '../lease-events.js';
import { NUMBER_MONTHLY_MICROS, NUMBER_PURCHASE_MICROS, RENEWAL_PERIOD_MS } from '../money.js';
import { leaseOut, orderOut } from '../serialize.js';
import { type LeaseRow, LeaseStore } from '../stores/lease-store.js';
import { OrderStore } from '../stores/order-store.js';
import { iso } from '../time.js';
import type { Schedule } from './sim-transaction.js';
import type { StepWorker } from './step-worker.js';

/** Simulated delays of an order: accepted → processing → done. */
export const ORDER_PROCESSING_AFTER_MS = 200;
export const ORDER_DONE_AFTER_MS = 1_000;

/** Plans an accepted order's two steps, in the transaction that accepted it. */
export function planOrder(schedule: Schedule, accountId: string, uuid: string): void {
  schedule({ kind: 'order.processing', target: uuid, accountId, inSimMs: ORDER_PROCESSING_AFTER_MS });
  schedule({
    kind: 'order.done',
    target: uuid,
    accountId,
    inSimMs: ORDER_PROCESSING_AFTER_MS + ORDER_DONE_AFTER_MS,
  });
}

/**
 * The order lifecycle: `processing`, then each number claimed against the unique index of live
 * numbers and debited, and the order `success` (at least one number bought) or `failed`.
 */
export function registerOrderSteps(worker: StepWorker, ledger: Ledger, now: () => number): void {
  worker.handle('order.processing', {
    run: ({ trx, emit, step }) => markProcessing(trx, emit, step.accountId, step.target, iso(now())),
  });
  worker.handle('order.done', {
    run: ({ trx, emit, step }) => complete(trx, emit, ledger, step.accountId, step.target, now()),
  });
}

async function markProcessing(
  trx: TelephonyDb,
  emit: Emit,
  accountId: string,
  uuid: string,
  now: string,
): Promise<void> {
  const orders = new OrderStore(trx);
  const row = await orders.byUuid(uuid);
  if (row === undefined || row.state !== 'created') return;
  const items = (JSON.parse(row.items) as OrderItem[]).map((i) => ({
    ...i,
    state: 'processing' as const,
  }));
  const next = { ...row, state: 'processing', items: JSON.stringify(items), modified_on: now };
  await orders.update(uuid, { state: next.state, items: next.items, modified_on: next.modified_on });
  await emitOrder(emit, accountId, orderOut(next));
}

async function complete(
  trx: TelephonyDb,
  emit: Emit,
  ledger: Ledger,
  accountId: string,
  uuid: string,
  nowMs: number,
): Promise<void> {
  const orders = new OrderStore(trx);
  const leases = new LeaseStore(trx);
  const row = await orders.byUuid(uuid);
  if (row === undefined || (row.state !== 'processing' && row.state !== 'created')) return;
  const now = iso(nowMs);
  const items = JSON.parse(row.items) as OrderItem[];
  const errors: Order['errors'] = [];
  let spent = 0;
  let account: Awaited<ReturnType<Ledger['debit']>>;
  const seen = new Set<string>();
  for (const item of items) {
    const fail = (code: string, message: string) => {
      item.state = 'failed';
      item.error = message;
      errors.push({ tn: item.tn, code, message });
    };
    const inv = findInventoryNumber(item.tn);
    if (inv === undefined) {
      fail('not_in_inventory', 'the number is not in the inventory');
      continue;
    }
    if (seen.has(item.tn)) {
      fail('duplicate_item', 'the number appears twice in this order');
      continue;
    }
    seen.add(item.tn);
    if (!item.features.every((f) => inv.features.includes(f))) {
      fail('feature_unavailable', `the number supports only ${inv.features.join(', ')}`);
      continue;
    }
    const lease: LeaseRow = {
      uuid: randomUUID(),
      account_id: accountId,
      tn: inv.tn,
      country: inv.country,
      state: inv.state,
      city: inv.city,
      rate_center: inv.rate_center,
      features: JSON.stringify(inv.features),
      voice: item.features.includes('voice') ? 1 : 0,
      sms: item.features.includes('sms') ? 1 : 0,
      autorenew: item.autorenew ? 1 : 0,
      messaging_profile: null,
      sip_connection: null,
      tn_profile: null,
      call_flow_xml: null,
      call_flow_url: null,
      monthly_cost_micros: NUMBER_MONTHLY_MICROS,
      order_id: uuid,
      paid_until: iso(nowMs + RENEWAL_PERIOD_MS),
      created_on: now,
      modified_on: now,
      deleted_on: null,
    };
    // The number is claimed first, so that a concurrent order of the same number loses cleanly.
    if (!(await leases.claim(lease))) {
      fail('not_available', 'the number is no longer available');
      continue;
    }
    const debited = await ledger.debit(trx, accountId, NUMBER_PURCHASE_MICROS);
    if (debited === undefined) {
      await leases.unclaim(lease.uuid);
      fail('insufficient_balance', 'the balance no longer covers the setup cost');
      continue;
    }
    account = debited;
    spent += NUMBER_PURCHASE_MICROS;
    item.state = 'success';
    item.lease = lease.uuid;
    await emitLease(emit, accountId, 'tn.updated', leaseOut(lease), 'purchased');
  }
  const state = items.some((i) => i.state === 'success') ? 'success' : 'failed';
  const next = {
    ...row,
    state,
    items: JSON.stringify(items),
    errors: JSON.stringify(errors),
    cost_micros: spent,
    modified_on: now,
  };
  await orders.update(uuid, {
    state,
    items: next.items,
    errors: next.errors,
    cost_micros: spent,
    modified_on: now,
  });
  await emitOrder(emit, accountId, orderOut(next));
  if (account !== undefined) await emitBalance(emit, account);
}
