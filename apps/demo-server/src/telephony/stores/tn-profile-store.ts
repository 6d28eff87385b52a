import type { Insertable, Selectable, Updateable } from 'kysely';
import type { TnProfileTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';
import { accountPage } from './paging.js';

export type TnProfileRow = Selectable<TnProfileTable>;

/** The SQL of TN profiles (`tn_profile`, caller screening lists): only live profiles are ever found. */
export class TnProfileStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  async insert(row: Insertable<TnProfileTable>): Promise<void> {
    await this.#db.insertInto('tn_profile').values(row).execute();
  }

  live(accountId: string, uuid: string): Promise<TnProfileRow | undefined> {
    return this.#db
      .selectFrom('tn_profile')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
  }

  /** The screening lists of a live profile, whichever account it belongs to (a lease points to it). */
  screening(uuid: string) {
    return this.#db
      .selectFrom('tn_profile')
      .select(['blacklist', 'whitelist'])
      .where('uuid', '=', uuid)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
  }

  page(accountId: string, page: Page) {
    return accountPage(this.#db, 'tn_profile', accountId, page);
  }

  async update(uuid: string, set: Updateable<TnProfileTable>): Promise<void> {
    await this.#db.updateTable('tn_profile').set(set).where('uuid', '=', uuid).execute();
  }
}
