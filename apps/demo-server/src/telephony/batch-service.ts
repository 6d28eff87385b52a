import { randomUUID } from 'node:crypto';
import type { Batch, Call } from '@callwire/types';
import { sql } from 'kysely';
import { assertVoiceNumber, type CallsService } from './calls-service.js';
import type { Emit, TelephonyDeps } from './deps.js';
import { insufficientBalance, notFound } from './errors.js';
import { CALL_MINUTE_MICROS } from './money.js';
import { checkCallflow } from './numbers-service.js';
import { batchOut } from './serialize.js';
import { iso } from './time.js';

export interface CreateBatchInput {
  from: string;
  phones: string[];
  call_flow_xml?: string | undefined;
  concurrency: number;
  talk_secs?: number | undefined;
}

interface Runner {
  accountId: string;
  input: CreateBatchInput;
  next: number;
}

/**
 * Bulk calls: at most `concurrency` calls of a batch are up at once; each finished call counts as
 * completed (answered) or failed, with a `batch.updated` event, and starts the next number.
 */
export class BatchService {
  readonly #runners = new Map<string, Runner>();

  readonly deps: TelephonyDeps;
  readonly calls: CallsService;

  constructor(deps: TelephonyDeps, calls: CallsService) {
    this.deps = deps;
    this.calls = calls;
  }

  async create(accountId: string, input: CreateBatchInput): Promise<Batch> {
    if (input.call_flow_xml !== undefined) checkCallflow(input.call_flow_xml, 'body.call_flow_xml');
    const now = iso(this.deps.scheduler.now());
    const batch = await this.deps.events.transaction(async (trx, emit) => {
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
      await trx.insertInto('call_batch').values(row).execute();
      const out = batchOut(row);
      await emitBatch(emit, accountId, out);
      return out;
    });
    this.#runners.set(batch.uuid, { accountId, input, next: 0 });
    this.deps.scheduler.after(0, () => this.#begin(batch.uuid));
    return batch;
  }

  async #begin(uuid: string): Promise<void> {
    const runner = this.#runners.get(uuid);
    if (runner === undefined) return;
    await this.#moveTo(runner.accountId, uuid, 'processing');
    const first = Math.min(runner.input.concurrency, runner.input.phones.length);
    for (let i = 0; i < first; i++) await this.#launch(uuid);
  }

  async #launch(uuid: string): Promise<void> {
    const runner = this.#runners.get(uuid);
    if (runner === undefined) return;
    const index = runner.next;
    const to = runner.input.phones[index];
    if (to === undefined) return;
    runner.next += 1;
    let call: Call;
    try {
      call = await this.calls.create(
        runner.accountId,
        {
          from: runner.input.from,
          to,
          call_flow_xml: runner.input.call_flow_xml,
          talk_secs: runner.input.talk_secs,
        },
        { batch: uuid },
      );
    } catch {
      // No balance left (or the call was refused): the number counts as failed, the batch goes on.
      await this.#progress(uuid, false);
      return;
    }
    this.calls.whenEnded(call.uuid, (ended) => this.#progress(uuid, ended.answer_on !== null));
  }

  async #progress(uuid: string, answered: boolean): Promise<void> {
    const runner = this.#runners.get(uuid);
    if (runner === undefined) return;
    const done = await this.deps.events.transaction(async (trx, emit) => {
      const now = iso(this.deps.scheduler.now());
      const column = answered ? 'completed' : 'failed';
      await trx
        .updateTable('call_batch')
        .set({ [column]: sql<number>`${sql.ref(column)} + 1`, started: runner.next, modified_on: now })
        .where('uuid', '=', uuid)
        .execute();
      const row = await trx
        .selectFrom('call_batch')
        .selectAll()
        .where('uuid', '=', uuid)
        .executeTakeFirstOrThrow();
      const finished = Number(row.completed) + Number(row.failed) >= Number(row.total);
      if (finished) {
        await trx.updateTable('call_batch').set({ state: 'completed' }).where('uuid', '=', uuid).execute();
        row.state = 'completed';
      }
      await emitBatch(emit, runner.accountId, batchOut(row));
      return finished;
    });
    if (done) this.#runners.delete(uuid);
    else await this.#launch(uuid);
  }

  /** Moves a batch to `state` and records `batch.updated` with the batch as it now is. */
  async #moveTo(accountId: string, uuid: string, state: 'processing' | 'failed'): Promise<void> {
    await this.deps.events.transaction(async (trx, emit) => {
      const now = iso(this.deps.scheduler.now());
      await trx.updateTable('call_batch').set({ state, modified_on: now }).where('uuid', '=', uuid).execute();
      const row = await trx
        .selectFrom('call_batch')
        .selectAll()
        .where('uuid', '=', uuid)
        .executeTakeFirstOrThrow();
      await emitBatch(emit, accountId, batchOut(row));
    });
  }

  /**
   * A batch whose runner was lost in a restart cannot know which calls were placed: it is marked
   * failed with what it had done, so that nobody waits for it forever.
   */
  async abandon(accountId: string, uuid: string): Promise<void> {
    await this.#moveTo(accountId, uuid, 'failed');
  }

  async get(accountId: string, uuid: string): Promise<Batch> {
    const row = await this.deps.db
      .selectFrom('call_batch')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (row === undefined) throw notFound('batch');
    return batchOut(row);
  }

  close(): void {
    this.#runners.clear();
  }
}

async function emitBatch(emit: Emit, accountId: string, batch: Batch): Promise<void> {
  await emit({
    accountId,
    type: 'batch.updated',
    refId: batch.uuid,
    message: `Batch ${batch.uuid} - ${batch.state} (${batch.completed + batch.failed}/${batch.total})`,
    payload: batch,
  });
}
