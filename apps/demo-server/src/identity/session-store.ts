import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { isoTime } from '../db/time.js';
import { inTransaction } from '../db/transaction.js';
import type { SessionRow } from './credential-store.js';
import type { SessionTable } from './tables.js';

/** The database handle or the transaction a session change runs in. */
export type SessionDb = Kysely<Database> | Transaction<Database>;

/** The SQL of the session lifecycle: rows are issued, spent by a refresh and revoked by family. */
export class SessionStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** The database handle, for the identity reads a session change makes outside a transaction. */
  get db(): Kysely<Database> {
    return this.#db;
  }

  /** Runs `fn` in one transaction (a refresh reads, spends and issues together), committed like every other write. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.#db, (trx) => fn(trx));
  }

  async insert(row: SessionTable, db: SessionDb = this.#db): Promise<void> {
    await db.insertInto('session').values(row).execute();
  }

  byRefreshHash(hash: string, db: SessionDb = this.#db): Promise<SessionRow | undefined> {
    return db.selectFrom('session').selectAll().where('refresh_hash', '=', hash).executeTakeFirst();
  }

  /** Spends a refresh token: true for exactly one of two concurrent refreshes of the same row. */
  async spend(trx: SessionDb, uuid: string, now: number): Promise<boolean> {
    const spent = await trx
      .updateTable('session')
      .set({ refreshed_on: isoTime(now) })
      .where('uuid', '=', uuid)
      .where('refreshed_on', 'is', null)
      .where('revoked_on', 'is', null)
      .executeTakeFirst();
    return Number(spent.numUpdatedRows) === 1;
  }

  /** Whether a sign-in still has an unrevoked session. */
  async familyIsLive(familyId: string): Promise<boolean> {
    const live = await this.#db
      .selectFrom('session')
      .select('uuid')
      .where('family_id', '=', familyId)
      .where('revoked_on', 'is', null)
      .executeTakeFirst();
    return live !== undefined;
  }

  /** Revokes every session of a sign-in; returns the ids of all of them (the credentials to forget). */
  async revokeFamily(familyId: string, now: number, db: SessionDb = this.#db): Promise<string[]> {
    const rows = await db.selectFrom('session').select('uuid').where('family_id', '=', familyId).execute();
    await db
      .updateTable('session')
      .set({ revoked_on: isoTime(now) })
      .where('family_id', '=', familyId)
      .where('revoked_on', 'is', null)
      .execute();
    return rows.map((r) => r.uuid);
  }
}
