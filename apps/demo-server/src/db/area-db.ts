import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The server's database handle, or one of its transactions, seen through the tables of one area
 * (`areaDb<TelephonyTables>(ctx.db)`): the area's code can then name only its own tables. Kysely
 * cannot narrow a handle by itself (its table map is invariant); the return type refuses tables
 * that are not part of {@link Database}, so the narrowing is always to tables that exist.
 */
// biome-ignore lint/suspicious/noExplicitAny: any handle of this database, whatever tables it is typed with
export function areaDb<Tables>(db: Kysely<any>): Database extends Tables ? Kysely<Tables> : never {
  return db as Database extends Tables ? Kysely<Tables> : never;
}
