import type { Kysely } from 'kysely';
import type { DialectName } from '../schema.js';
import { bigintType, type Migration } from './migration.js';

/** Identity, credentials and idempotency records. */
export const coreMigration: Migration = {
  id: '001_core',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const big = bigintType(dialect);
    await db.schema
      .createTable('account')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('balance_micros', big, (c) => c.notNull().defaultTo(0))
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('modified_on', 'text', (c) => c.notNull())
      .addColumn('deleted_on', 'text')
      .execute();
    await db.schema
      .createTable('app_user')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('email_key', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('phone_number', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('api_access', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('default_account_id', 'text')
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('modified_on', 'text', (c) => c.notNull())
      .addColumn('deleted_on', 'text')
      .execute();
    await db.schema
      .createTable('membership')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('access', 'text', (c) => c.notNull())
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('membership_pk', ['user_id', 'account_id'])
      .execute();
    await db.schema.createIndex('membership_account').on('membership').column('account_id').execute();
    await db.schema
      .createTable('session')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('family_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('refresh_hash', 'text', (c) => c.notNull().unique())
      .addColumn('token_expires_on', 'text', (c) => c.notNull())
      .addColumn('refresh_expires_on', 'text', (c) => c.notNull())
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('refreshed_on', 'text')
      .addColumn('revoked_on', 'text')
      .execute();
    await db.schema.createIndex('session_family').on('session').column('family_id').execute();
    await db.schema.createIndex('session_user').on('session').column('user_id').execute();
    await db.schema
      .createTable('api_token')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('ttl', big, (c) => c.notNull())
      .addColumn('expired_on', 'text', (c) => c.notNull())
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('revoked_on', 'text')
      .execute();
    await db.schema
      .createIndex('api_token_account')
      .on('api_token')
      .columns(['account_id', 'user_id'])
      .execute();
    await db.schema
      .createTable('integrator_app')
      .addColumn('app_key', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_on', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('integrator_secret')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('app_key', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('revoked_on', 'text')
      .execute();
    await db.schema
      .createTable('integrator_link')
      .addColumn('app_key', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('integrator_link_pk', ['app_key', 'account_id'])
      .execute();
    await db.schema
      .createTable('idempotency')
      .addColumn('principal', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('body_hash', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('headers', 'text')
      .addColumn('body', 'text')
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('expires_on', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_pk', ['principal', 'key'])
      .execute();
    await db.schema.createIndex('idempotency_expiry').on('idempotency').column('expires_on').execute();
  },
};
