import type { Insertable, Selectable, Updateable } from 'kysely';
import type { TelephonyTables } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';
import { type AccountListTable, accountPage } from './paging.js';

/**
 * The SQL the tables of what an account sets up for its numbers share (messaging profiles, SIP
 * connections, TN profiles; a lease may point to each): insert, find a live row, page the live
 * rows, update, soft-delete. Deleted rows are never found. The stores of those tables extend it
 * with what is their own; code that handles any of them builds it with the table's name.
 */
export class AccountOwnedStore<T extends AccountListTable> {
  protected readonly db: TelephonyDb;
  readonly #table: T;

  constructor(db: TelephonyDb, table: T) {
    this.db = db;
    this.#table = table;
  }

  // Kysely cannot follow a table name given as a type parameter: the queries name the three tables'
  // union (they share every column used here) and their rows are typed back to table T.

  async insert(row: Insertable<TelephonyTables[T]>): Promise<void> {
    await this.db
      .insertInto(this.#table as AccountListTable)
      .values(row as never)
      .execute();
  }

  live(accountId: string, uuid: string): Promise<Selectable<TelephonyTables[T]> | undefined> {
    return this.db
      .selectFrom(this.#table as AccountListTable)
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst() as Promise<Selectable<TelephonyTables[T]> | undefined>;
  }

  /** One page of the account's live rows, oldest first, with the total. */
  page(accountId: string, page: Page): Promise<{ total: number; rows: Selectable<TelephonyTables[T]>[] }> {
    return accountPage(this.db, this.#table, accountId, page);
  }

  async update(uuid: string, set: Updateable<TelephonyTables[T]>): Promise<void> {
    await this.db
      .updateTable(this.#table as AccountListTable)
      .set(set as never)
      .where('uuid', '=', uuid)
      .execute();
  }

  /** Soft-deletes a row (the leases that point to it are the caller's to detach). */
  async delete(uuid: string, now: string): Promise<void> {
    await this.db
      .updateTable(this.#table as AccountListTable)
      .set({ deleted_on: now, modified_on: now })
      .where('uuid', '=', uuid)
      .execute();
  }
}
