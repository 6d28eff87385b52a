import type { Kysely } from 'kysely';
import type { DialectName } from '../schema.js';

/**
 * One versioned migration. `id` sorts in apply order (`001_core`, `002_telephony`, …). `up` runs in
 * a transaction together with its bookkeeping row, so a migration is applied entirely or not at all.
 * Write DDL with Kysely's schema builder; where the dialects differ, branch on `dialect`.
 */
export interface Migration {
  id: string;
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/** Column type for money and other 64-bit integers. */
export function bigintType(dialect: DialectName): 'bigint' | 'integer' {
  return dialect === 'postgres' ? 'bigint' : 'integer';
}
