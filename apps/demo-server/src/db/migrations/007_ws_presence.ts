import type { Kysely } from 'kysely';
import type { DialectName } from '../schema.js';
import type { Migration } from './migration.js';

/**
 * `ws_presence`: which users have authenticated websockets on which server instance, so that
 * `wss_online` counts sockets on every instance sharing a PostgreSQL database. A row lives while
 * its instance keeps refreshing `expires_on`, so a dead instance's users fall offline on their own.
 */
export const wsPresenceMigration: Migration = {
  id: '007_ws_presence',
  async up(db: Kysely<unknown>, _dialect: DialectName) {
    await db.schema
      .createTable('ws_presence')
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('expires_on', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ws_presence_pk', ['instance_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('ws_presence_user')
      .on('ws_presence')
      .columns(['user_id', 'expires_on'])
      .execute();
  },
};
