import type { Insertable, Selectable } from 'kysely';
import type { TnOrderTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';
import { pagedSearch } from './paging.js';

export type OrderRow = Selectable<TnOrderTable>;

/** Filters of an order search; each one left out matches every order. Times are ISO, inclusive. */
export interface OrderFilter {
  state?: string | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
}

/** The SQL of number orders (`tn_order`), over the database or one transaction. */
export class OrderStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  async insert(row: Insertable<TnOrderTable>): Promise<void> {
    await this.#db.insertInto('tn_order').values(row).execute();
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
    return pagedSearch(
      q,
      [
        ['created_on', 'desc'],
        ['uuid', 'asc'],
      ],
      page,
    );
  }
}
