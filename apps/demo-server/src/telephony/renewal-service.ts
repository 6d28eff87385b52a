import type { TelephonyDeps } from './deps.js';
import { emitLease } from './lease-events.js';
import { RENEWAL_PERIOD_MS } from './money.js';
import { emitBalance } from './numbers-service.js';
import { leaseOut } from './serialize.js';
import { iso } from './time.js';

/** How often (simulated time) the server looks for numbers whose month is over. */
export const RENEWAL_SWEEP_MS = 60 * 60 * 1000;

/**
 * Monthly renewal of numbers (CONTRACT §4: 1.00 a month). When a number's paid month is over, an
 * `autorenew` number is charged for the next month; a number that is not renewed (autorenew off,
 * or a balance that no longer covers the fee) is released, as a carrier would. Each renewal is one
 * transaction: the debit, the new `paid_until` and the events commit together.
 */
export class RenewalService {
  readonly deps: TelephonyDeps;
  #timer: ReturnType<TelephonyDeps['scheduler']['after']>;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
  }

  /** Renews or releases every number whose month is over; returns how many were handled. */
  async runDue(): Promise<number> {
    const now = iso(this.deps.scheduler.now());
    const due = await this.deps.db
      .selectFrom('tn_lease')
      .select(['uuid', 'account_id'])
      .where('deleted_on', 'is', null)
      .where('paid_until', '<=', now)
      .orderBy('paid_until')
      .execute();
    for (const lease of due) await this.#renew(lease.account_id, lease.uuid);
    return due.length;
  }

  async #renew(accountId: string, uuid: string): Promise<void> {
    await this.deps.events.transaction(async (trx, emit) => {
      const row = await trx
        .selectFrom('tn_lease')
        .selectAll()
        .where('uuid', '=', uuid)
        .where('deleted_on', 'is', null)
        .executeTakeFirst();
      const nowMs = this.deps.scheduler.now();
      if (row === undefined || row.paid_until === null || Date.parse(row.paid_until) > nowMs) return;
      const now = iso(nowMs);
      // Claim the renewal: with several instances on PostgreSQL, the row lock this conditional
      // UPDATE takes makes the others wait, re-check `paid_until` and find nothing to do.
      const claimed = await trx
        .updateTable('tn_lease')
        .set({ modified_on: now })
        .where('uuid', '=', uuid)
        .where('paid_until', '=', row.paid_until)
        .where('deleted_on', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return;
      let paidUntil = Date.parse(row.paid_until);
      let account: Awaited<ReturnType<TelephonyDeps['ledger']['debit']>>;
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
        await trx
          .updateTable('tn_lease')
          .set({ deleted_on: now, modified_on: now, paid_until: iso(paidUntil) })
          .where('uuid', '=', uuid)
          .execute();
        await trx.deleteFrom('sticky_sender').where('from_tn', '=', row.tn).execute();
        await emitLease(emit, accountId, 'tn.released', leaseOut({ ...row, modified_on: now }), released);
      } else {
        await trx
          .updateTable('tn_lease')
          .set({ paid_until: iso(paidUntil), modified_on: now })
          .where('uuid', '=', uuid)
          .execute();
        await emitLease(
          emit,
          accountId,
          'tn.updated',
          leaseOut({ ...row, modified_on: now }),
          'renewed for a month',
        );
      }
      if (account !== undefined) await emitBalance(emit, account);
    });
  }

  /** Sweeps every simulated hour (real servers; tests call {@link runDue} on their manual clock). */
  start(): void {
    const tick = async () => {
      await this.runDue();
      this.#timer = this.deps.scheduler.after(RENEWAL_SWEEP_MS, tick);
    };
    this.#timer = this.deps.scheduler.after(0, tick);
  }

  stop(): void {
    this.deps.scheduler.cancel(this.#timer);
    this.#timer = undefined;
  }
}
