import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isoTime } from '../db/time.js';
import type { ApiTokenRow } from './credential-store.js';
import type { ApiTokenTable } from './tables.js';

/** The SQL of `/rest/token`: an account's live API tokens, created and revoked one by one. */
export class ApiTokenStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** One page of the account's live tokens (of one user, when `userId` is given), newest first. */
  async page(
    filter: { accountId: string; userId: string | undefined; now: number },
    page: { take: number; skip: number },
  ): Promise<{ total: number; rows: ApiTokenRow[] }> {
    let q = this.#db
      .selectFrom('api_token')
      .where('account_id', '=', filter.accountId)
      .where('revoked_on', 'is', null)
      .where('expired_on', '>', isoTime(filter.now));
    if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll()
      .orderBy('created_on', 'desc')
      .orderBy('uuid')
      .limit(page.take)
      .offset(page.skip)
      .execute();
    return { total: Number(total.n), rows };
  }

  async insert(row: Insertable<ApiTokenTable>): Promise<void> {
    await this.#db.insertInto('api_token').values(row).execute();
  }

  /** The account's unrevoked token `uuid`, if any. */
  live(uuid: string, accountId: string): Promise<ApiTokenRow | undefined> {
    return this.#db
      .selectFrom('api_token')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .where('revoked_on', 'is', null)
      .executeTakeFirst();
  }

  async revoke(uuid: string, now: number): Promise<void> {
    await this.#db
      .updateTable('api_token')
      .set({ revoked_on: isoTime(now) })
      .where('uuid', '=', uuid)
      .execute();
  }
}
