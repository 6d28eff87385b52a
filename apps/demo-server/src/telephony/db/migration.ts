import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../db/schema.js';

/**
 * Migration 002: numbers, messaging, calls, SIP. Written with Kysely's schema builder and only the
 * types both dialects share (text, integer; money is bigint on PostgreSQL), so one definition
 * serves SQLite and PostgreSQL. Money is integer micro-dollars. Indexes follow the hot reads: per-account lists by
 * creation time, the call-data report by (account, init_on), numbers by tn.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before any table type exists
type AnyDb = Kysely<any>;

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  const money = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('tn_lease')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('tn', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('rate_center', 'text', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('voice', 'integer', (c) => c.notNull())
    .addColumn('sms', 'integer', (c) => c.notNull())
    .addColumn('autorenew', 'integer', (c) => c.notNull())
    .addColumn('messaging_profile', 'text')
    .addColumn('sip_connection', 'text')
    .addColumn('tn_profile', 'text')
    .addColumn('call_flow_xml', 'text')
    .addColumn('call_flow_url', 'text')
    .addColumn('monthly_cost_micros', money, (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .addColumn('deleted_on', 'text')
    .execute();
  // One live lease per number, whichever account holds it; released leases stay for history.
  await db.schema
    .createIndex('tn_lease_live_tn')
    .on('tn_lease')
    .column('tn')
    .unique()
    .where(sql.ref('deleted_on'), 'is', null)
    .execute();
  await db.schema
    .createIndex('tn_lease_account')
    .on('tn_lease')
    .columns(['account_id', 'created_on'])
    .execute();

  await db.schema
    .createTable('tn_order')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('cost_micros', money, (c) => c.notNull())
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('tn_order_account')
    .on('tn_order')
    .columns(['account_id', 'created_on'])
    .execute();

  for (const table of ['tn_profile', 'messaging_profile'] as const) {
    let t = db.schema
      .createTable(table)
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull());
    t =
      table === 'tn_profile'
        ? t
            .addColumn('blacklist', 'text', (c) => c.notNull())
            .addColumn('whitelist', 'text', (c) => c.notNull())
        : t
            .addColumn('callback_url', 'text')
            .addColumn('number_pool_enable', 'integer', (c) => c.notNull())
            .addColumn('sticky_sender', 'integer', (c) => c.notNull());
    await t
      .addColumn('created_on', 'text', (c) => c.notNull())
      .addColumn('modified_on', 'text', (c) => c.notNull())
      .addColumn('deleted_on', 'text')
      .execute();
    await db.schema.createIndex(`${table}_account`).on(table).columns(['account_id', 'created_on']).execute();
  }

  await db.schema
    .createTable('sticky_sender')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('to_tn', 'text', (c) => c.notNull())
    .addColumn('from_tn', 'text', (c) => c.notNull())
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sticky_sender_pk', ['profile_id', 'to_tn'])
    .execute();

  await db.schema
    .createTable('sms')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('from_tn', 'text', (c) => c.notNull())
    .addColumn('to_tn', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('thread', 'text', (c) => c.notNull())
    .addColumn('delivered', 'integer', (c) => c.notNull())
    .addColumn('segments', 'integer', (c) => c.notNull())
    .addColumn('cost_micros', money, (c) => c.notNull())
    .addColumn('messaging_profile', 'text')
    .addColumn('custom_callback_url', 'text')
    .addColumn('error', 'text')
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .addColumn('sent_on', 'text')
    .addColumn('delivered_on', 'text')
    .execute();
  await db.schema.createIndex('sms_account').on('sms').columns(['account_id', 'created_on']).execute();

  await db.schema
    .createTable('call')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('from_tn', 'text', (c) => c.notNull())
    .addColumn('to_tn', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('duration', 'integer', (c) => c.notNull())
    .addColumn('billable_seconds', 'integer', (c) => c.notNull())
    .addColumn('cost_micros', money, (c) => c.notNull())
    .addColumn('init_on', 'text', (c) => c.notNull())
    .addColumn('ring_on', 'text')
    .addColumn('answer_on', 'text')
    .addColumn('hangup_on', 'text')
    .addColumn('destroy_on', 'text')
    .addColumn('q850_cause', 'integer')
    .addColumn('parent', 'text')
    .addColumn('batch', 'text')
    .addColumn('bridged_with', 'text')
    .addColumn('call_flow_xml', 'text')
    .addColumn('talk_secs', 'integer')
    .addColumn('timeout_secs', 'integer')
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .execute();
  // The call log and the call-data report both read one account's calls by start time.
  await db.schema.createIndex('call_account_init').on('call').columns(['account_id', 'init_on']).execute();
  await db.schema.createIndex('call_by_batch').on('call').column('batch').execute();

  await db.schema
    .createTable('call_batch')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('from_tn', 'text', (c) => c.notNull())
    .addColumn('phones', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('started', 'integer', (c) => c.notNull())
    .addColumn('completed', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('concurrency', 'integer', (c) => c.notNull())
    .addColumn('call_flow_xml', 'text')
    .addColumn('talk_secs', 'integer')
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('call_batch_account')
    .on('call_batch')
    .columns(['account_id', 'created_on'])
    .execute();

  await db.schema
    .createTable('originate')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('callee', 'text', (c) => c.notNull())
    .addColumn('from_tn', 'text', (c) => c.notNull())
    .addColumn('caller_call', 'text', (c) => c.notNull())
    .addColumn('callee_call', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rapid_response')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('callee', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('whisper_text', 'text', (c) => c.notNull())
    .addColumn('queue_status', 'text', (c) => c.notNull())
    .addColumn('agent_call', 'text')
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rapid_response_callee')
    .on('rapid_response')
    .columns(['account_id', 'callee', 'created_on'])
    .execute();

  await db.schema
    .createTable('sip_connection')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('host', 'text')
    .addColumn('port', 'integer')
    .addColumn('transport', 'text', (c) => c.notNull())
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .addColumn('deleted_on', 'text')
    .execute();

  await db.schema
    .createTable('sip_domain')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .addColumn('deleted_on', 'text')
    .execute();
  // A domain name is global (it routes calls), so two accounts cannot hold the same live one.
  await db.schema
    .createIndex('sip_domain_live')
    .on('sip_domain')
    .column('domain')
    .unique()
    .where(sql.ref('deleted_on'), 'is', null)
    .execute();

  await db.schema
    .createTable('sip_user')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('domain_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('caller_id', 'text')
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('modified_on', 'text', (c) => c.notNull())
    .addColumn('deleted_on', 'text')
    .execute();
  await db.schema
    .createIndex('sip_user_live')
    .on('sip_user')
    .columns(['domain_id', 'username'])
    .unique()
    .where(sql.ref('deleted_on'), 'is', null)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'sip_user',
    'sip_domain',
    'sip_connection',
    'rapid_response',
    'originate',
    'call_batch',
    'call',
    'sms',
    'sticky_sender',
    'messaging_profile',
    'tn_profile',
    'tn_order',
    'tn_lease',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
