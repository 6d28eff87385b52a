import type { Batch } from '@callwire/types';
import type { Emit, TelephonyDb } from '../deps.js';
import { batchOut } from '../serialize.js';
import { BatchStore } from '../stores/batch-store.js';
import type { CallRow } from '../stores/call-store.js';
import { iso } from '../time.js';
import type { CallMachine } from './call-transitions.js';
import { dialLeg } from './calls.js';
import type { Schedule } from './sim-transaction.js';
import type { StepWorker } from './step-worker.js';

export async function emitBatch(emit: Emit, accountId: string, batch: Batch): Promise<void> {
  await emit({
    accountId,
    type: 'batch.updated',
    refId: batch.uuid,
    message: `Batch ${batch.uuid} - ${batch.state} (${batch.completed + batch.failed}/${batch.total})`,
    payload: batch,
  });
}

/** Plans a new batch's start, in the transaction that created it. */
export function planBatch(schedule: Schedule, accountId: string, uuid: string): void {
  schedule({ kind: 'batch.begin', target: uuid, accountId, inSimMs: 0 });
}

/**
 * Bulk calls: at most `concurrency` calls of a batch are up at once; each finished call counts as
 * completed (answered) or failed, with a `batch.updated` event, and starts the next number. The
 * batch's row is its whole state (`started` is the next number to dial), so any instance can
 * carry it on.
 */
export class Batches {
  readonly #m: CallMachine;

  constructor(m: CallMachine) {
    this.#m = m;
  }

  register(worker: StepWorker): void {
    worker.handle('batch.begin', {
      run: async ({ trx, emit, schedule, step }) => {
        const now = iso(this.#m.now());
        const row = await new BatchStore(trx).begin(step.target, now);
        if (row === undefined) return;
        await emitBatch(emit, step.accountId, batchOut(row));
        const first = Math.min(Number(row.concurrency), Number(row.total));
        for (let i = 0; i < first; i++) await this.#launch(trx, emit, schedule, step.accountId, step.target);
      },
    });
  }

  /** A call of a batch was destroyed: it counts, and the next number is dialled. */
  async callEnded(trx: TelephonyDb, emit: Emit, schedule: Schedule, call: CallRow): Promise<void> {
    const batch = call.batch as string;
    const finished = await this.#count(trx, emit, call.account_id, batch, call.answer_on !== null);
    if (!finished) await this.#launch(trx, emit, schedule, call.account_id, batch);
  }

  /** Dials the batch's next number; a number refused (no balance left) counts as failed. */
  async #launch(
    trx: TelephonyDb,
    emit: Emit,
    schedule: Schedule,
    accountId: string,
    uuid: string,
  ): Promise<void> {
    const batches = new BatchStore(trx);
    for (;;) {
      const row = await batches.takeNext(uuid);
      if (row === undefined) return;
      const to = (JSON.parse(row.phones) as string[])[Number(row.started) - 1] as string;
      const input = {
        from: row.from_tn,
        to,
        call_flow_xml: row.call_flow_xml ?? undefined,
        talk_secs: row.talk_secs ?? undefined,
      };
      const leg = await dialLeg(this.#m, trx, emit, schedule, accountId, input, { batch: uuid });
      if (leg !== undefined) return;
      if (await this.#count(trx, emit, accountId, uuid, false)) return;
    }
  }

  /** Counts one finished number; true when that was the batch's last. */
  async #count(
    trx: TelephonyDb,
    emit: Emit,
    accountId: string,
    uuid: string,
    answered: boolean,
  ): Promise<boolean> {
    const batches = new BatchStore(trx);
    const row = await batches.countFinished(uuid, answered, iso(this.#m.now()));
    const finished = Number(row.completed) + Number(row.failed) >= Number(row.total);
    if (finished) {
      await batches.complete(uuid);
      row.state = 'completed';
    }
    await emitBatch(emit, accountId, batchOut(row));
    return finished;
  }
}
