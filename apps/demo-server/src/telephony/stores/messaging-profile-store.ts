import type { Insertable, Selectable, Updateable } from 'kysely';
import type { MessagingProfileTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import { accountPage, type Page } from '../list.js';

export type MessagingProfileRow = Selectable<MessagingProfileTable>;

/**
 * The SQL of messaging profiles (`messaging_profile`) and their sticky-sender pairings: only live
 * profiles are ever found. Over the database or one transaction.
 */
export class MessagingProfileStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  async insert(row: Insertable<MessagingProfileTable>): Promise<void> {
    await this.#db.insertInto('messaging_profile').values(row).execute();
  }

  live(accountId: string, uuid: string): Promise<MessagingProfileRow | undefined> {
    return this.#db
      .selectFrom('messaging_profile')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
  }

  page(accountId: string, page: Page) {
    return accountPage(this.#db, 'messaging_profile', accountId, page);
  }

  async update(uuid: string, set: Updateable<MessagingProfileTable>): Promise<void> {
    await this.#db.updateTable('messaging_profile').set(set).where('uuid', '=', uuid).execute();
  }

  /** Forgets which number each recipient got from the profile's pool. */
  async forgetStickySenders(profileId: string): Promise<void> {
    await this.#db.deleteFrom('sticky_sender').where('profile_id', '=', profileId).execute();
  }
}
