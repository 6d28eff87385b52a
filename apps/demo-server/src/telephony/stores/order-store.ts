import type { Insertable, Selectable, Updateable } from 'kysely';
import type { TnOrderTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';
import { NEWEST_FIRST, pagedSearch } from './paging.js';

export type OrderRow = Selectable<TnOrderTable>;

/** Filters of an order search; each one left out matches every order. Times are ISO, inclusive. */
export interface OrderFilter {
  state?: string | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
}

/**
 * The SQL of number orders (`tn_order`): made through the API, moved on by the simulator. Over the
 * database or one transaction.
 */
export class OrderStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  async insert(row: Insertable<TnOrderTable>): Promise<void> {
    await this.#db.insertInto('tn_order').values(row).execute();
  }

  /** An order of any account, for the simulator moving it. */
  byUuid(uuid: string): Promise<OrderRow | undefined> {
    return this.#db.selectFrom('tn_order').selectAll().where('uuid', '=', uuid).executeTakeFirst();
  }

  async update(uuid: string, set: Updateable<TnOrderTable>): Promise<void> {
    await this.#db.updateTable('tn_order').set(set).where('uuid', '=', uuid).execute();
  }

  get(accountId: string, uuid: string): Promise<OrderRow | undefined> {
    return this.#db
      .selectFrom('tn_order')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /** One page of the account's orders, newest first, with the total. */
  search(accountId: string, filter: OrderFilter, page: Page) {
    let q = this.#db.selectFrom('tn_order').where('account_id', '=', accountId);
    if (filter.state !== undefined) q = q.where('state', '=', filter.state);
    if (filter.createdFrom !== undefined) q = q.where('created_on', '>=', filter.createdFrom);
    if (filter.createdTo !== undefined) q = q.where('created_on', '<=', filter.createdTo);
    return pagedSearch(q, NEWEST_FIRST, page);
  }
}
