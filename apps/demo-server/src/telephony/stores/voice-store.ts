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
}
