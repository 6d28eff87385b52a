import { coreMigration } from './001_core.js';
import { telephonyMigration } from './002_telephony.js';
import { eventsMigration } from './003_events.js';
import { telephonyRenewalMigration } from './004_telephony_renewal.js';
import { callbackSecretMigration } from './005_callback_secret.js';
import { simStepsMigration } from './006_sim_steps.js';
import { wsPresenceMigration } from './007_ws_presence.js';
import { webhookStepsMigration } from './008_webhook_steps.js';
import { eventKeysMigration } from './009_event_keys.js';
import { stepLeaseIndexMigration } from './010_step_lease_index.js';
import type { Migration } from './migration.js';

/**
 * Every migration, in apply order. An area adds its file here (`002_telephony`, `003_events`);
 * ids are never renamed or reused once committed, because databases remember them.
 */
export const MIGRATIONS: readonly Migration[] = [
  coreMigration,
  telephonyMigration,
  eventsMigration,
  telephonyRenewalMigration,
  callbackSecretMigration,
  simStepsMigration,
  wsPresenceMigration,
  webhookStepsMigration,
  eventKeysMigration,
  stepLeaseIndexMigration,
];

export type { Migration } from './migration.js';
