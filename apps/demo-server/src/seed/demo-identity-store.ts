import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type {
  AccountTable,
  IntegratorAppTable,
  IntegratorLinkTable,
  IntegratorSecretTable,
  MembershipTable,
  UserTable,
} from '../identity/tables.js';

/**
 * The SQL of the demo identity: each row is written unless it exists (by its key), so that seeding
 * again changes nothing. Over the database or one transaction.
 */
export class DemoIdentityStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async accountExists(uuid: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('account')
      .select('uuid')
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    return row !== undefined;
  }

  async addAccount(row: Insertable<AccountTable>): Promise<void> {
    await this.#db
      .insertInto('account')
      .values(row)
      .onConflict((oc) => oc.column('uuid').doNothing())
      .execute();
  }

  async addUser(row: Insertable<UserTable>): Promise<void> {
    await this.#db
      .insertInto('app_user')
      .values(row)
      .onConflict((oc) => oc.column('uuid').doNothing())
      .execute();
  }

  async addMembership(row: Insertable<MembershipTable>): Promise<void> {
    await this.#db
      .insertInto('membership')
      .values(row)
      .onConflict((oc) => oc.columns(['user_id', 'account_id']).doNothing())
      .execute();
  }

  async addIntegratorApp(row: Insertable<IntegratorAppTable>): Promise<void> {
    await this.#db
      .insertInto('integrator_app')
      .values(row)
      .onConflict((oc) => oc.column('app_key').doNothing())
      .execute();
  }

  async addIntegratorSecret(row: Insertable<IntegratorSecretTable>): Promise<void> {
    await this.#db.insertInto('integrator_secret').values(row).execute();
  }

  async addIntegratorLink(row: Insertable<IntegratorLinkTable>): Promise<void> {
    await this.#db
      .insertInto('integrator_link')
      .values(row)
      .onConflict((oc) => oc.columns(['app_key', 'account_id']).doNothing())
      .execute();
  }
}
