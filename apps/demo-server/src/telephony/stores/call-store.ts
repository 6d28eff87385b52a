import type { Selectable } from 'kysely';
import type { CallTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';
import { pagedSearch } from './paging.js';

export type CallRow = Selectable<CallTable>;

/** Filters of a call search; each one left out matches every call. Times are ISO, inclusive. */
export interface CallFilter {
  direction?: CallRow['direction'] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  state?: string | undefined;
  batch?: string | undefined;
  initFrom?: string | undefined;
  initTo?: string | undefined;
}

/**
 * The SQL of calls (`call`), over the database or one transaction: a call is inserted and moved
 * through its states in the transactions that plan its steps.
 */
export class CallStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  async insert(row: CallRow): Promise<void> {
    await this.#db.insertInto('call').values(row).execute();
  }

  get(accountId: string, uuid: string): Promise<CallRow | undefined> {
    return this.#db
      .selectFrom('call')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /** One page of the account's calls, newest first, with the total. */
  search(accountId: string, filter: CallFilter, page: Page) {
    let q = this.#db.selectFrom('call').where('account_id', '=', accountId);
    if (filter.direction !== undefined) q = q.where('direction', '=', filter.direction);
    if (filter.from !== undefined) q = q.where('from_tn', '=', filter.from);
    if (filter.to !== undefined) q = q.where('to_tn', '=', filter.to);
    if (filter.state !== undefined) q = q.where('state', '=', filter.state);
    if (filter.batch !== undefined) q = q.where('batch', '=', filter.batch);
    if (filter.initFrom !== undefined) q = q.where('init_on', '>=', filter.initFrom);
    if (filter.initTo !== undefined) q = q.where('init_on', '<=', filter.initTo);
    return pagedSearch(
      q,
      [
        ['init_on', 'desc'],
        ['uuid', 'asc'],
      ],
      page,
    );
  }
}
