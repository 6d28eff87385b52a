import type { Kysely } from 'kysely';
import type { DialectName } from '../schema.js';
import type { Migration } from './migration.js';

/**
 * Events (with the per-account seq counter), event subscriptions and webhook deliveries with their
 * attempts. Tables in ../../events/tables.ts. Only text and integer columns, so the DDL is the same
 * on both dialects; seqs and counts stay far below 2^31.
 */
export const eventsMigration: Migration = {
  id: '003_events',
  async up(db: Kysely<unknown>, _dialect: DialectName) {
    await db.schema
      .createTable('event')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('ref_id', 'text', (c) => c.notNull())
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('json', 'text', (c) => c.notNull())
      .addUniqueConstraint('event_account_seq', ['account_id', 'seq'])
      .execute();
    await db.schema.createIndex('event_created_on').on('event').column('created_on').execute();

    // One row per account: the last seq handed out. Updated in the emitting transaction, so its
    // row lock (PostgreSQL) or the write lock (SQLite) makes seqs gap-free under concurrency.
    await db.schema
      .createTable('event_counter')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('event_subscription')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('types', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('is_active', 'integer', (c) => c.notNull())
      .addColumn('expired_on', 'text')
      .addColumn('signing_secret', 'text')
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('modified_on', 'text', (c) => c.notNull())
      .addColumn('deleted_on', 'text')
      .execute();
    await db.schema
      .createIndex('event_subscription_account')
      .on('event_subscription')
      .columns(['account_id', 'channel'])
      .execute();
    await db.schema
      .createIndex('event_subscription_user')
      .on('event_subscription')
      .column('user_id')
      .execute();

    await db.schema
      .createTable('webhook_delivery')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_on', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('modified_on', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_delivery_due')
      .on('webhook_delivery')
      .columns(['state', 'next_attempt_on'])
      .execute();
    await db.schema
      .createIndex('webhook_delivery_subscription')
      .on('webhook_delivery')
      .columns(['subscription_id', 'seq'])
      .execute();

    await db.schema
      .createTable('webhook_attempt')
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('attempted_on', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_attempt_pk', ['delivery_id', 'attempt'])
      .execute();
  },
};
