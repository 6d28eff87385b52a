import type { Insertable, Selectable, Updateable } from 'kysely';
import type { SipDomainTable, SipUserTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';
import { pagedSearch } from './paging.js';

export type SipDomainRow = Selectable<SipDomainTable>;
export type SipUserRow = Selectable<SipUserTable>;

/**
 * The SQL of SIP domains (`sip_domain`) and their users (`sip_user`): only live rows are ever
 * found, and a name is claimed against the unique indexes of live rows, so that of two concurrent
 * creates exactly one gets it.
 */
export class SipDomainStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  // ---- domains -----------------------------------------------------------------------------------

  /** Inserts the domain unless a live one has its name: false when taken. */
  async claimDomain(row: Insertable<SipDomainTable>): Promise<boolean> {
    const claimed = await this.#db
      .insertInto('sip_domain')
      .values(row)
      .onConflict((oc) => oc.column('domain').where('deleted_on', 'is', null).doNothing())
      .returning('uuid')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  /** The account's live domain of that name (any case). */
  liveDomain(accountId: string, domain: string): Promise<SipDomainRow | undefined> {
    return this.#db
      .selectFrom('sip_domain')
      .selectAll()
      .where('domain', '=', domain.toLowerCase())
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
  }

  /** One page of the account's live domains, by name. */
  domainPage(accountId: string, page: Page) {
    const q = this.#db
      .selectFrom('sip_domain')
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null);
    return pagedSearch(q, [['domain', 'asc']], page);
  }

  async updateDomain(uuid: string, set: Updateable<SipDomainTable>): Promise<void> {
    await this.#db.updateTable('sip_domain').set(set).where('uuid', '=', uuid).execute();
  }

  /** Deletes the domain and its live users. */
  async deleteDomain(uuid: string, now: string): Promise<void> {
    await this.#db
      .updateTable('sip_domain')
      .set({ deleted_on: now, modified_on: now })
      .where('uuid', '=', uuid)
      .execute();
    await this.#db
      .updateTable('sip_user')
      .set({ deleted_on: now, modified_on: now })
      .where('domain_id', '=', uuid)
      .where('deleted_on', 'is', null)
      .execute();
  }

  // ---- users -------------------------------------------------------------------------------------

  /** Inserts the user unless the domain has a live one of that username: false when taken. */
  async claimUser(row: Insertable<SipUserTable>): Promise<boolean> {
    const claimed = await this.#db
      .insertInto('sip_user')
      .values(row)
      .onConflict((oc) => oc.columns(['domain_id', 'username']).where('deleted_on', 'is', null).doNothing())
      .returning('uuid')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  liveUser(domainId: string, uuid: string): Promise<SipUserRow | undefined> {
    return this.#db
      .selectFrom('sip_user')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('domain_id', '=', domainId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
  }

  /** One page of the domain's live users, by username. */
  userPage(domainId: string, page: Page) {
    const q = this.#db
      .selectFrom('sip_user')
      .where('domain_id', '=', domainId)
      .where('deleted_on', 'is', null);
    return pagedSearch(q, [['username', 'asc']], page);
  }

  async updateUser(uuid: string, set: Updateable<SipUserTable>): Promise<void> {
    await this.#db.updateTable('sip_user').set(set).where('uuid', '=', uuid).execute();
  }

  async deleteUser(uuid: string, now: string): Promise<void> {
    await this.#db
      .updateTable('sip_user')
      .set({ deleted_on: now, modified_on: now })
      .where('uuid', '=', uuid)
      .execute();
  }
}
