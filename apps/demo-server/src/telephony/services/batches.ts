import { randomUUID } from 'node:crypto';
import type { Batch } from '@callwire/types';
import { assertVoiceNumber } from '../call-records.js';
import { checkCallflow } from '../callflow-check.js';
import type { TelephonyDeps } from '../deps.js';
import { insufficientBalance, notFound } from '../errors.js';
import { CALL_MINUTE_MICROS } from '../money.js';
import { batchOut } from '../serialize.js';
import { emitBatch, planBatch } from '../sim/batches.js';
import { BatchStore } from '../stores/batch-store.js';
import { iso } from '../time.js';

export interface CreateBatchInput {
  from: string;
  phones: string[];
  call_flow_xml?: string | undefined;
  concurrency: number;
  talk_secs?: number | undefined;
}

/** Bulk calls through the API; the simulator (`sim/batches.ts`) dials them. */
export class BatchService {
  readonly deps: TelephonyDeps;
  readonly #batches: BatchStore;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.#batches = new BatchStore(deps.db);
  }

  async create(accountId: string, input: CreateBatchInput): Promise<Batch> {
    if (input.call_flow_xml !== undefined) checkCallflow(input.call_flow_xml, 'body.call_flow_xml');
    const now = iso(this.deps.sim.now());
    return this.deps.events.transaction(async (trx, emit, schedule) => {
      await assertVoiceNumber(trx, accountId, input.from, 'body.from');
      if ((await this.deps.ledger.balance(trx, accountId)) < CALL_MINUTE_MICROS) {
        throw insufficientBalance(CALL_MINUTE_MICROS);
      }
      const row = {
        uuid: randomUUID(),
        account_id: accountId,
        state: 'created',
        from_tn: input.from,
        phones: JSON.stringify(input.phones),
        total: input.phones.length,
        started: 0,
        completed: 0,
        failed: 0,
        concurrency: input.concurrency,
        call_flow_xml: input.call_flow_xml ?? null,
        talk_secs: input.talk_secs ?? null,
        created_on: now,
        modified_on: now,
      };
      await new BatchStore(trx).insert(row);
      const out = batchOut(row);
      await emitBatch(emit, accountId, out);
      planBatch(schedule, accountId, row.uuid);
      return out;
    });
  }

  async get(accountId: string, uuid: string): Promise<Batch> {
    const row = await this.#batches.get(accountId, uuid);
    if (row === undefined) throw notFound('batch');
    return batchOut(row);
  }
}
