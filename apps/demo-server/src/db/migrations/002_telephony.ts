import type { Kysely } from 'kysely';
import { up } from '../../telephony/db/migration.js';
import type { DialectName } from '../schema.js';
import type { Migration } from './migration.js';

/** Numbers, messaging, calls and SIP. Tables in ../../telephony/db/tables.ts. */
export const telephonyMigration: Migration = {
  id: '002_telephony',
  up(db: Kysely<unknown>, dialect: DialectName) {
    return up(db, dialect);
  },
};
