import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../schema.js';
import type { Migration } from './migration.js';

/**
 * `event` keeps one key: (account_id, seq), what every read of it looks up (the backfill, the
 * oldest retained seq, the retention purge). Each event used to update three more B-trees on
 * SQLite (the rowid table under a text primary key on `uuid`, the primary key's index, and an index
 * on `created_on`); every recorded event paid for them, and nothing reads by them:
 * - `uuid` is never looked up; ids are made by the server (time plus 74 random bits) and stay
 *   unique without an index to check them;
 * - the purge finds each account's expired events by seq (see event-store.ts `purgeBefore`), as
 *   they are written in time order per account.
 * On SQLite the table is rebuilt (a primary key cannot be dropped there); on PostgreSQL the primary
 * key on `uuid` and the `created_on` index are dropped, and the unique (account_id, seq) stays.
 */
export const eventKeysMigration: Migration = {
  id: '009_event_keys',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    if (dialect === 'postgres') {
      await sql`alter table event drop constraint event_pkey`.execute(db);
      await db.schema.dropIndex('event_created_on').execute();
      return;
    }
    await sql`
      create table event_rebuilt (
        uuid text not null,
        account_id text not null,
        seq integer not null,
        type text not null,
        ref_id text not null,
        created_on text not null,
        json text not null,
        constraint event_account_seq primary key (account_id, seq)
      )`.execute(db);
    await sql`
      insert into event_rebuilt (uuid, account_id, seq, type, ref_id, created_on, json)
      select uuid, account_id, seq, type, ref_id, created_on, json from event
      order by account_id, seq`.execute(db);
    // Dropping the table drops its indexes with it.
    await sql`drop table event`.execute(db);
    await sql`alter table event_rebuilt rename to event`.execute(db);
  },
};
