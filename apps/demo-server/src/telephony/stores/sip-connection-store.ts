import type { Insertable, Selectable, Updateable } from 'kysely';
import type { SipConnectionTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';
import { accountPage } from './paging.js';

export type SipConnectionRow = Selectable<SipConnectionTable>;

/** The SQL of SIP connections (`sip_connection`): only live connections are ever found. */
export class SipConnectionStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  async insert(row: Insertable<SipConnectionTable>): Promise<void> {
    await this.#db.insertInto('sip_connection').values(row).execute();
  }

  live(accountId: string, uuid: string): Promise<SipConnectionRow | undefined> {
    return this.#db
      .selectFrom('sip_connection')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
  }

  page(accountId: string, page: Page) {
    return accountPage(this.#db, 'sip_connection', accountId, page);
  }

  async update(uuid: string, set: Updateable<SipConnectionTable>): Promise<void> {
    await this.#db.updateTable('sip_connection').set(set).where('uuid', '=', uuid).execute();
  }
}
