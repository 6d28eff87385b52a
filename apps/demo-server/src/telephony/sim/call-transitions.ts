import { emitBalance } from '../account-events.js';
import { canTransition, DESTROY_AFTER_MS } from '../call-outcome.js';
import { type CallEventType, emitCall } from '../call-records.js';
import type { Emit, Ledger, TelephonyDb } from '../deps.js';
import { callCostMicros } from '../money.js';
import { Q850 } from '../q850.js';
import { callOut } from '../serialize.js';
import { type CallRow, CallStore } from '../stores/call-store.js';
import { iso } from '../time.js';
import type { Schedule } from './sim-transaction.js';

/** What moving calls needs: the balance, the clock and the simulation speed. */
export interface CallMachine {
  ledger: Ledger;
  now: () => number;
  speed: number;
  /** Row locks (`FOR UPDATE`) where PostgreSQL needs them; SQLite transactions hold the write lock. */
  postgres: boolean;
}

/**
 * Moves a call to `state` if that is a legal step from where it is now, applying `patch` and
 * emitting `types` (in order) with the call as it is after the change. Conditional on the state
 * read: if a racing change (an API hangup on another connection) moved the call first, this one
 * does nothing and returns undefined.
 */
export async function transition(
  trx: TelephonyDb,
  emit: Emit,
  now: string,
  uuid: string,
  state: string,
  patch: (row: CallRow) => Partial<CallRow>,
  types: readonly [CallEventType, string][],
): Promise<CallRow | undefined> {
  const calls = new CallStore(trx);
  const row = await calls.byUuid(uuid);
  if (row === undefined || !canTransition(row.state, state)) return undefined;
  const set = { ...patch(row), state, modified_on: now };
  if (!(await calls.moveFrom(uuid, row.state, set))) return undefined;
  const next = { ...row, ...set };
  const out = callOut(next);
  for (const [type, what] of types) await emitCall(emit, row.account_id, type, out, what);
  return next;
}

/**
 * Hangs up a call now with `cause`, debits what it cost and plans its destruction 100 ms later; a
 * bridged partner is hung up by a step of its own right after. Returns undefined when the call had
 * already ended.
 */
export async function hangupIn(
  m: CallMachine,
  trx: TelephonyDb,
  emit: Emit,
  schedule: Schedule,
  uuid: string,
  cause: number,
  /** The simulated talk time when the simulator knows it (a late step still bills what was planned). */
  plannedSecs?: number,
): Promise<CallRow | undefined> {
  const nowMs = m.now();
  const now = iso(nowMs);
  const row = await transition(
    trx,
    emit,
    now,
    uuid,
    'hangup',
    (r) => {
      const measured = () =>
        Math.max(0, Math.round(((nowMs - Date.parse(r.answer_on ?? now)) * m.speed) / 1000));
      const duration =
        r.answer_on === null ? 0 : plannedSecs !== undefined ? Math.round(plannedSecs) : measured();
      return { hangup_on: now, q850_cause: cause, duration, billable_seconds: duration };
    },
    [['call.hangup', 'hangup']],
  );
  if (row === undefined) return undefined;
  const accountId = row.account_id;
  if (row.direction === 'out') {
    const cost = callCostMicros(Number(row.billable_seconds));
    if (cost > 0) {
      // Never below zero: charge what the balance covers when the call outran it.
      let charged = cost;
      let account = await m.ledger.debit(trx, accountId, cost);
      if (account === undefined) {
        charged = await m.ledger.balance(trx, accountId);
        account = charged > 0 ? await m.ledger.debit(trx, accountId, charged) : undefined;
        if (account === undefined) charged = 0;
      }
      await new CallStore(trx).setCost(uuid, charged);
      row.cost_micros = charged;
      if (account !== undefined) await emitBalance(emit, account);
    }
  }
  schedule({ kind: 'call.destroy', target: uuid, accountId, inSimMs: DESTROY_AFTER_MS });
  if (row.bridged_with !== null) {
    schedule({
      kind: 'call.hangup',
      target: row.bridged_with,
      accountId,
      payload: { cause: Q850.NORMAL_CLEARING },
      inSimMs: 0,
    });
  }
  return row;
}

/**
 * Bridges two live, unbridged calls (`call.bridged` on both). Conditional on both legs still being
 * live and unbridged: when a racing bridge or hangup got there first it returns undefined, and the
 * caller rolls back (an API bridge answers 409) or gives up.
 */
export async function bridgeIn(
  trx: TelephonyDb,
  emit: Emit,
  now: string,
  a: CallRow,
  b: CallRow,
): Promise<{ a: CallRow; b: CallRow } | undefined> {
  const calls = new CallStore(trx);
  if (!(await calls.bridge(a.uuid, b.uuid, now))) return undefined;
  if (!(await calls.bridge(b.uuid, a.uuid, now))) return undefined;
  const ra = { ...a, bridged_with: b.uuid, modified_on: now };
  const rb = { ...b, bridged_with: a.uuid, modified_on: now };
  await emitCall(emit, a.account_id, 'call.bridged', callOut(ra), `bridged with ${b.uuid}`);
  await emitCall(emit, b.account_id, 'call.bridged', callOut(rb), `bridged with ${a.uuid}`);
  return { a: ra, b: rb };
}
