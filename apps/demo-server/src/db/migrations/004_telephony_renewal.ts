import type { Kysely } from 'kysely';
import { up } from '../../telephony/db/renewal-migration.js';
import type { DialectName } from '../schema.js';
import type { Migration } from './migration.js';

/** Monthly renewal of numbers: `tn_lease.paid_until`. */
export const telephonyRenewalMigration: Migration = {
  id: '004_telephony_renewal',
  up(db: Kysely<unknown>, _dialect: DialectName) {
    return up(db);
  },
};
