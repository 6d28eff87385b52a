import type { Kysely } from 'kysely';
import { up } from '../../telephony/sim/step-migration.js';
import type { DialectName } from '../schema.js';
import type { Migration } from './migration.js';

/** The simulated network's pending steps (`sim_step`) and the composite operation a call serves. */
export const simStepsMigration: Migration = {
  id: '006_sim_steps',
  up(db: Kysely<unknown>, dialect: DialectName) {
    return up(db, dialect);
  },
};
