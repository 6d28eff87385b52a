import { type Insertable, type Selectable, sql } from 'kysely';
import type { OriginateTable, RapidResponseTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';

export type OriginateRow = Selectable<OriginateTable>;

/**
 * The SQL of click-to-call requests (`originate`) and the rapid-response queue (`rapid_response`)
 * made through the API, over the database or one transaction.
 */
export class VoiceStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  async insertOriginate(row: Insertable<OriginateTable>): Promise<void> {
    await this.#db.insertInto('originate').values(row).execute();
  }

  originate(accountId: string, uuid: string): Promise<OriginateRow | undefined> {
    return this.#db
      .selectFrom('originate')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /**
   * Holds the account's rapid-response queue until the transaction ends, so that a check and the
   * insert after it cannot interleave with another request's. SQLite needs nothing: its
   * transactions start with the write lock. PostgreSQL: a transaction-scoped advisory lock.
   */
  async lockRapidResponseQueue(accountId: string, dialect: 'sqlite' | 'postgres'): Promise<void> {
    if (dialect !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(hashtext(${`rapidresponse:${accountId}`}))`.execute(this.#db);
  }

  /** Whether the callee has a rapid-response entry of the account created after `since` (ISO). */
  async rapidResponseSince(accountId: string, callee: string, since: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('rapid_response')
      .select('uuid')
      .where('account_id', '=', accountId)
      .where('callee', '=', callee)
      .where('created_on', '>', since)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insertRapidResponse(row: Insertable<RapidResponseTable>): Promise<void> {
    await this.#db.insertInto('rapid_response').values(row).execute();
  }

  /** The callee of a click-to-call request or rapid-response entry (the simulator dials it). */
  async callee(kind: 'originate' | 'rapid_response', uuid: string): Promise<string | undefined> {
    const row = await this.#db.selectFrom(kind).select('callee').where('uuid', '=', uuid).executeTakeFirst();
    return row?.callee;
  }

  async setOriginateCallee(uuid: string, calleeCall: string, now: string): Promise<void> {
    await this.#db
      .updateTable('originate')
      .set({ callee_call: calleeCall, modified_on: now })
      .where('uuid', '=', uuid)
      .execute();
  }

  /** Moves a click-to-call request to `state`, never out of a final state. */
  async moveOriginate(uuid: string, state: string, now: string): Promise<void> {
    await this.#db
      .updateTable('originate')
      .set({ state, modified_on: now })
      .where('uuid', '=', uuid)
      .where('state', 'not in', ['completed', 'failed'])
      .execute();
  }

  /** Records how a rapid-response entry ended, never out of a final status. */
  async endRapidResponse(uuid: string, status: string, now: string): Promise<void> {
    await this.#db
      .updateTable('rapid_response')
      .set({ queue_status: status, modified_on: now })
      .where('uuid', '=', uuid)
      .where('queue_status', 'not in', ['completed', 'failed'])
      .execute();
  }
}
