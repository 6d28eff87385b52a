import { emitBalance } from '../account-events.js';
import type { Emit, Ledger, TelephonyDb, TelephonyDeps } from '../deps.js';
import { emitLease } from '../lease-events.js';
import { RENEWAL_PERIOD_MS } from '../money.js';
import { leaseOut } from '../serialize.js';
import { LeaseStore } from '../stores/lease-store.js';
import { iso } from '../time.js';
import type { StepStore } from './step-store.js';
import type { StepWorker } from './step-worker.js';

/** How often (simulated time) the server looks for numbers whose month is over. */
export const RENEWAL_SWEEP_MS = 60 * 60 * 1000;
/** The one sweep step's target. */
const SWEEP = 'renewals';

/**
 * Monthly renewal of numbers (1.00 a month). When a number's paid month is over, an
 * `autorenew` number is charged for the next month; a number that is not renewed (autorenew off,
 * or a balance that no longer covers the fee) is released, as a carrier would. Each renewal is one
 * transaction: the debit, the new `paid_until` and the events commit together.
 */
export class Renewals {
  readonly deps: TelephonyDeps;
  readonly #steps: StepStore;

  constructor(deps: TelephonyDeps, steps: StepStore) {
    this.deps = deps;
    this.#steps = steps;
  }

  /**
   * The sweep is one step (`renewal.sweep`), planned again an hour later each time it runs; every
   * number found due gets a `renewal.lease` step of its own.
   */
  register(worker: StepWorker): void {
    worker.handle('renewal.sweep', {
      run: async ({ trx, schedule, step }) => {
        // Two instances starting at once may both have planned a sweep: one is enough.
        await this.#steps.removeOthers(trx, 'renewal.sweep', step.id);
        for (const lease of await this.#due(trx)) {
          schedule({ kind: 'renewal.lease', target: lease.uuid, accountId: lease.account_id, inSimMs: 0 });
        }
        schedule({ kind: 'renewal.sweep', target: SWEEP, accountId: SWEEP, inSimMs: RENEWAL_SWEEP_MS });
      },
    });
    worker.handle('renewal.lease', {
      run: ({ trx, emit, step }) => this.#renew(trx, emit, step.accountId, step.target),
    });
  }

  /** Plans the first sweep now, unless one is pending (real clocks; tests call {@link runDue}). */
  async start(): Promise<void> {
    await this.deps.events.transaction(async (trx, _emit, schedule) => {
      if (!(await this.#steps.hasPending(trx, 'renewal.sweep')))
        schedule({ kind: 'renewal.sweep', target: SWEEP, accountId: SWEEP, inSimMs: 0 });
    });
  }

  /** Renews or releases every number whose month is over now; returns how many were handled. */
  async runDue(): Promise<number> {
    const due = await this.#due(this.deps.db);
    for (const lease of due) {
      await this.deps.events.transaction((trx, emit) => this.#renew(trx, emit, lease.account_id, lease.uuid));
    }
    return due.length;
  }

  #due(db: TelephonyDb) {
    return new LeaseStore(db).due(iso(this.deps.sim.now()));
  }

  async #renew(trx: TelephonyDb, emit: Emit, accountId: string, uuid: string): Promise<void> {
    {
      const leases = new LeaseStore(trx);
      const row = await leases.liveByUuid(uuid);
      const nowMs = this.deps.sim.now();
      if (row === undefined || row.paid_until === null || Date.parse(row.paid_until) > nowMs) return;
      const now = iso(nowMs);
      if (!(await leases.claimRenewal(uuid, row.paid_until, now))) return;
      let paidUntil = Date.parse(row.paid_until);
      let account: Awaited<ReturnType<Ledger['debit']>>;
      let released: string | undefined =
        Number(row.autorenew) === 1 ? undefined : 'not renewed (autorenew is off)';
      // A server that was down for months renews each missed month in turn, while the balance lasts.
      while (released === undefined && paidUntil <= nowMs) {
        const debited = await this.deps.ledger.debit(trx, accountId, Number(row.monthly_cost_micros));
        if (debited === undefined) released = 'released: the balance does not cover the monthly fee';
        else {
          account = debited;
          paidUntil += RENEWAL_PERIOD_MS;
        }
      }
      if (released !== undefined) {
        await leases.releaseUnrenewed(row, iso(paidUntil), now);
        await emitLease(emit, accountId, 'tn.released', leaseOut({ ...row, modified_on: now }), released);
      } else {
        await leases.update(uuid, { paid_until: iso(paidUntil), modified_on: now });
        await emitLease(
          emit,
          accountId,
          'tn.updated',
          leaseOut({ ...row, modified_on: now }),
          'renewed for a month',
        );
      }
      if (account !== undefined) await emitBalance(emit, account);
    }
  }
}
