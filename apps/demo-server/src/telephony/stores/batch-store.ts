import { type Insertable, type Selectable, sql } from 'kysely';
import type { CallBatchTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';

export type BatchRow = Selectable<CallBatchTable>;

/**
 * The SQL of bulk-call batches (`call_batch`): made through the API, moved on by the simulator.
 * Over the database or one transaction.
 */
export class BatchStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  async insert(row: Insertable<CallBatchTable>): Promise<void> {
    await this.#db.insertInto('call_batch').values(row).execute();
  }

  get(accountId: string, uuid: string): Promise<BatchRow | undefined> {
    return this.#db
      .selectFrom('call_batch')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /** A created batch starts processing; undefined if it had started already. */
  begin(uuid: string, now: string): Promise<BatchRow | undefined> {
    return this.#db
      .updateTable('call_batch')
      .set({ state: 'processing', modified_on: now })
      .where('uuid', '=', uuid)
      .where('state', '=', 'created')
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Takes the next number of a processing batch (`started` + 1: the row after names it as
   * `phones[started - 1]`); undefined when every number was taken or the batch is not processing.
   */
  takeNext(uuid: string): Promise<BatchRow | undefined> {
    return this.#db
      .updateTable('call_batch')
      .set({ started: sql<number>`started + 1` })
      .where('uuid', '=', uuid)
      .where('state', '=', 'processing')
      .whereRef('started', '<', 'total')
      .returningAll()
      .executeTakeFirst();
  }

  /** Counts one finished number as completed (answered) or failed; the row after. */
  countFinished(uuid: string, answered: boolean, now: string): Promise<BatchRow> {
    const column = answered ? 'completed' : 'failed';
    return this.#db
      .updateTable('call_batch')
      .set({ [column]: sql<number>`${sql.ref(column)} + 1`, modified_on: now })
      .where('uuid', '=', uuid)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async complete(uuid: string): Promise<void> {
    await this.#db.updateTable('call_batch').set({ state: 'completed' }).where('uuid', '=', uuid).execute();
  }
}
