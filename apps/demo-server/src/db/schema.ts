import type { EventsTables } from '../events/tables.js';
import type { CoreTables } from '../identity/tables.js';
import type { TelephonyTables } from '../telephony/db/tables.js';

/**
 * The whole database as Kysely sees it: one table interface per area file. An area adds its tables
 * by extending this interface with its own `…Tables` (e.g. `TelephonyTables`, `EventsTables`).
 */
export interface Database extends CoreTables, TelephonyTables, EventsTables {}

export type DialectName = 'sqlite' | 'postgres';
