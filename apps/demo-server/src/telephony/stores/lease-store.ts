import type { Insertable, Selectable } from 'kysely';
import type { TnLeaseTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';
import { type AccountListTable, count, pagedSearch } from './paging.js';

export type LeaseRow = Selectable<TnLeaseTable>;

/** One lease, by its uuid (lower case) or its E.164 number. */
export type LeaseRef = { uuid: string } | { tn: string };

/** Filters of a lease search; each one left out matches every lease. */
export interface LeaseFilter {
  sms?: boolean | undefined;
  voice?: boolean | undefined;
  sip_connection?: string | undefined;
  messaging_profile?: string | undefined;
  /** ISO times, inclusive. */
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
}

/** Which of an account's live leases a bulk change reads: those listed, and/or those pointing to one thing. */
export interface LeaseSelection {
  uuids?: readonly string[];
  column?: LeaseTarget;
  equals?: string;
}

/** What a lease may point to: each one belongs to an account and can be deleted. */
export type LeaseTarget = AccountListTable;

/**
 * The SQL of an account's numbers (`tn_lease`): only live leases (not released) are ever found.
 * Built over the database or over one transaction (`new LeaseStore(trx)`).
 */
export class LeaseStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  #live(accountId: string) {
    return this.#db
      .selectFrom('tn_lease')
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null);
  }

  find(accountId: string, ref: LeaseRef): Promise<LeaseRow | undefined> {
    const q = this.#live(accountId).selectAll();
    return ('uuid' in ref ? q.where('uuid', '=', ref.uuid) : q.where('tn', '=', ref.tn)).executeTakeFirst();
  }

  /** The account's live leases matching `filter`, oldest first. */
  search(accountId: string, filter: LeaseFilter): Promise<LeaseRow[]> {
    let q = this.#live(accountId);
    if (filter.sms !== undefined) q = q.where('sms', '=', filter.sms ? 1 : 0);
    if (filter.voice !== undefined) q = q.where('voice', '=', filter.voice ? 1 : 0);
    if (filter.sip_connection !== undefined) q = q.where('sip_connection', '=', filter.sip_connection);
    if (filter.messaging_profile !== undefined)
      q = q.where('messaging_profile', '=', filter.messaging_profile);
    if (filter.createdFrom !== undefined) q = q.where('created_on', '>=', filter.createdFrom);
    if (filter.createdTo !== undefined) q = q.where('created_on', '<=', filter.createdTo);
    return q.selectAll().orderBy('created_on', 'asc').orderBy('tn').execute();
  }

  /** The account's live leases of `selection`, by number. */
  async selected(accountId: string, selection: LeaseSelection): Promise<LeaseRow[]> {
    let q = this.#live(accountId).selectAll();
    if (selection.uuids !== undefined) {
      if (selection.uuids.length === 0) return [];
      q = q.where('uuid', 'in', [...selection.uuids]);
    }
    if (selection.column !== undefined && selection.equals !== undefined)
      q = q.where(selection.column, '=', selection.equals);
    return q.orderBy('tn').execute();
  }

  async insert(row: Insertable<TnLeaseTable>): Promise<void> {
    await this.#db.insertInto('tn_lease').values(row).execute();
  }

  /**
   * Leases a number unless it is leased already: claimed against the unique index of live numbers,
   * so a concurrent claim of the same number (another instance on PostgreSQL) loses cleanly, with
   * no error. True when this one got it.
   */
  async claim(row: Insertable<TnLeaseTable>): Promise<boolean> {
    const claimed = await this.#db
      .insertInto('tn_lease')
      .values(row)
      .onConflict((oc) => oc.column('tn').where('deleted_on', 'is', null).doNothing())
      .returning('uuid')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  /** Takes back a claim made in this transaction (the purchase it was for fell through). */
  async unclaim(uuid: string): Promise<void> {
    await this.#db.deleteFrom('tn_lease').where('uuid', '=', uuid).execute();
  }

  /** Live leases (of every account) whose paid month is over at `now` (ISO), the longest due first. */
  due(now: string) {
    return this.#db
      .selectFrom('tn_lease')
      .select(['uuid', 'account_id'])
      .where('deleted_on', 'is', null)
      .where('paid_until', '<=', now)
      .orderBy('paid_until')
      .execute();
  }

  /** A live lease of any account, for the simulator renewing it. */
  liveByUuid(uuid: string): Promise<LeaseRow | undefined> {
    return this.#db
      .selectFrom('tn_lease')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
  }

  /**
   * Claims the renewal of a live lease still paid until `paidUntil`; false when another renewal
   * got there first. With several instances on PostgreSQL, the row lock this conditional UPDATE
   * takes makes the others wait, re-check `paid_until` and find nothing to do.
   */
  async claimRenewal(uuid: string, paidUntil: string, now: string): Promise<boolean> {
    const claimed = await this.#db
      .updateTable('tn_lease')
      .set({ modified_on: now })
      .where('uuid', '=', uuid)
      .where('paid_until', '=', paidUntil)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    return Number(claimed.numUpdatedRows) > 0;
  }

  /** Releases a lease whose month was not renewed (paid until `paidUntil`), as {@link release} does. */
  async releaseUnrenewed(lease: LeaseRow, paidUntil: string, now: string): Promise<void> {
    await this.update(lease.uuid, { deleted_on: now, modified_on: now, paid_until: paidUntil });
    await this.#forgetStickySenders(lease.tn);
  }

  /** Numbers leased on the whole platform (of one area code, when given). */
  async taken(npa: string | undefined): Promise<Set<string>> {
    let q = this.#db.selectFrom('tn_lease').select('tn').where('deleted_on', 'is', null);
    if (npa !== undefined) q = q.where('tn', 'like', `+1${npa}%`);
    return new Set((await q.execute()).map((r) => r.tn));
  }

  /** The account's oldest live voice number, if any. */
  async firstVoiceNumber(accountId: string): Promise<string | undefined> {
    const row = await this.#live(accountId)
      .select('tn')
      .where('voice', '=', 1)
      .orderBy('created_on')
      .orderBy('tn')
      .executeTakeFirst();
    return row?.tn;
  }

  /** What an inbound call to one of the account's numbers needs to know about it. */
  forInboundCall(accountId: string, tn: string) {
    return this.#live(accountId)
      .select(['voice', 'tn_profile', 'call_flow_xml', 'call_flow_url'])
      .where('tn', '=', tn)
      .executeTakeFirst();
  }

  /** The uuid of the account's live lease `ref`, if any. */
  async uuidOf(accountId: string, ref: LeaseRef): Promise<string | undefined> {
    const q = this.#live(accountId).select('uuid');
    const row = await ('uuid' in ref
      ? q.where('uuid', '=', ref.uuid)
      : q.where('tn', '=', ref.tn)
    ).executeTakeFirst();
    return row?.uuid;
  }

  /** Live leases on a SIP connection (of any account: a connection has one owner). */
  async countOnConnection(connectionId: string): Promise<number> {
    return count(
      await this.#db
        .selectFrom('tn_lease')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('sip_connection', '=', connectionId)
        .where('deleted_on', 'is', null)
        .executeTakeFirst(),
    );
  }

  /** One page of the account's live leases on a SIP connection, by number. */
  pageOnConnection(accountId: string, connectionId: string, page: Page) {
    const q = this.#live(accountId).where('sip_connection', '=', connectionId);
    return pagedSearch(q, [['tn', 'asc']], page);
  }

  async update(uuid: string, set: Partial<LeaseRow>): Promise<void> {
    await this.#db.updateTable('tn_lease').set(set).where('uuid', '=', uuid).execute();
  }

  /**
   * Releases a live lease and forgets the sticky-sender pairings of its number. False when it was
   * released already (a racing release on another connection got there first).
   */
  async release(lease: LeaseRow, now: string): Promise<boolean> {
    const released = await this.#db
      .updateTable('tn_lease')
      .set({ deleted_on: now, modified_on: now })
      .where('uuid', '=', lease.uuid)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    if (Number(released.numUpdatedRows) === 0) return false;
    await this.#forgetStickySenders(lease.tn);
    return true;
  }

  /** A released number is no recipient's sticky sender any more. */
  async #forgetStickySenders(tn: string): Promise<void> {
    await this.#db.deleteFrom('sticky_sender').where('from_tn', '=', tn).execute();
  }
}
