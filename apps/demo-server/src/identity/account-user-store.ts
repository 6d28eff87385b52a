import { randomUUID } from 'node:crypto';
import type { Access } from '@callwire/types';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { isoTime } from '../db/time.js';
import { inTransaction } from '../db/transaction.js';
import { identityKey } from './auth/identity-key.js';
import type { UserRow } from './identity-store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A user of an account, with their access on it. */
export type MemberRow = UserRow & { access: Access };

/** The SQL of `/rest/account/user`: an account's members, invitations and access changes. */
export class AccountUserStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Runs `fn` in one transaction (the last-admin rule reads and writes together), committed like every other write. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.#db, (trx) => fn(trx));
  }

  /** One page of the account's live users, by email. */
  async page(
    accountId: string,
    page: { take: number; skip: number },
  ): Promise<{ total: number; rows: MemberRow[] }> {
    const base = this.#db
      .selectFrom('membership')
      .innerJoin('app_user', 'app_user.uuid', 'membership.user_id')
      .where('membership.account_id', '=', accountId)
      .where('app_user.deleted_on', 'is', null);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll('app_user')
      .select('membership.access as access')
      .orderBy('app_user.email')
      .limit(page.take)
      .offset(page.skip)
      .execute();
    return { total: Number(total.n), rows };
  }

  /** Creates a user for an unknown email (nothing when one appeared meanwhile). */
  async invite(
    user: { email: string; firstName: string; lastName: string; passwordHash: string; accountId: string },
    now: number,
  ): Promise<void> {
    await this.#db
      .insertInto('app_user')
      .values({
        uuid: randomUUID(),
        email: user.email,
        email_key: identityKey(user.email),
        password_hash: user.passwordHash,
        first_name: user.firstName,
        last_name: user.lastName,
        phone_number: null,
        role: 'User',
        api_access: 1,
        status: 'active',
        default_account_id: user.accountId,
        created_on: isoTime(now),
        modified_on: isoTime(now),
        deleted_on: null,
      })
      .onConflict((oc) => oc.column('email_key').doNothing())
      .execute();
  }

  /** Adds a membership; false when the user already belongs to the account. */
  async addMember(userId: string, accountId: string, access: Access, now: number): Promise<boolean> {
    const inserted = await this.#db
      .insertInto('membership')
      .values({ user_id: userId, account_id: accountId, access, created_on: isoTime(now) })
      .onConflict((oc) => oc.columns(['user_id', 'account_id']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  member(db: Db, accountId: string, userId: string): Promise<MemberRow | undefined> {
    return db
      .selectFrom('membership')
      .innerJoin('app_user', 'app_user.uuid', 'membership.user_id')
      .selectAll('app_user')
      .select('membership.access as access')
      .where('membership.account_id', '=', accountId)
      .where('membership.user_id', '=', userId)
      .where('app_user.deleted_on', 'is', null)
      .executeTakeFirst();
  }

  async adminCount(db: Db, accountId: string): Promise<number> {
    const row = await db
      .selectFrom('membership')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('access', '=', 'admin')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setAccess(db: Db, accountId: string, userId: string, access: Access): Promise<void> {
    await db
      .updateTable('membership')
      .set({ access })
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .execute();
  }

  async setApiAccess(db: Db, userId: string, apiAccess: boolean, now: number): Promise<void> {
    await db
      .updateTable('app_user')
      .set({ api_access: apiAccess ? 1 : 0, modified_on: isoTime(now) })
      .where('uuid', '=', userId)
      .execute();
  }

  async removeMember(db: Db, accountId: string, userId: string): Promise<void> {
    await db
      .deleteFrom('membership')
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .execute();
  }
}
