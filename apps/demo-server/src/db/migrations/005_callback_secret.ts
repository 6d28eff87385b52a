import type { Kysely } from 'kysely';
import type { DialectName } from '../schema.js';
import type { Migration } from './migration.js';

/** Each account's secret for signing SMS status callbacks (created on first use, rotatable). */
export const callbackSecretMigration: Migration = {
  id: '005_callback_secret',
  async up(db: Kysely<unknown>, _dialect: DialectName) {
    await db.schema
      .createTable('account_callback_secret')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('created_on', 'text', (c) => c.notNull())
      .execute();
  },
};
