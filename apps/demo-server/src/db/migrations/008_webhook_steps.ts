import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../schema.js';
import type { Migration } from './migration.js';

/**
 * Webhook delivery attempts become steps of the one step worker (`sim_step`, kind
 * `webhook.delivery`, target the delivery, payload the attempt it makes). Every pending delivery
 * gets the step of its next attempt, due when that attempt was due (any claim it had is dropped:
 * the step worker's claims replace it); `webhook_delivery` keeps the records the API lists.
 */
export const webhookStepsMigration: Migration = {
  id: '008_webhook_steps',
  async up(db: Kysely<unknown>, _dialect: DialectName) {
    await sql`
      insert into sim_step (kind, target, account_id, payload, due_on, attempt, created_on)
      select 'webhook.delivery', uuid, account_id, '{"attempt":' || (attempts + 1) || '}',
             coalesce(next_attempt_on, modified_on), 0, modified_on
      from webhook_delivery
      where state = 'pending'
      order by coalesce(next_attempt_on, modified_on), seq`.execute(db);
    await db.schema.dropIndex('webhook_delivery_due').execute();
    await db.schema.alterTable('webhook_delivery').dropColumn('locked_until').execute();
  },
};
