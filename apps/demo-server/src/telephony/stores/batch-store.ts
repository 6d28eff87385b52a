import type { Insertable, Selectable } from 'kysely';
import type { CallBatchTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';

export type BatchRow = Selectable<CallBatchTable>;

/** The SQL of bulk-call batches (`call_batch`) made through the API, over the database or one transaction. */
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
}
