import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openStorage } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { dropSchema, TEST_DATABASE_URL } from './test-server.js';

/**
 * Storage as an earlier version left it: a new data folder (with TEST_DATABASE_URL, a new
 * PostgreSQL schema) migrated up to, not including, the migration whose id starts with `before`.
 * `old` is open for the test to write what that version would have; close it before starting a
 * server with `startWith`, which opens the same storage and runs the later migrations.
 */
export async function storageBefore(before: string, cleanups: (() => Promise<void>)[]) {
  const dir = mkdtempSync(join(tmpdir(), 'callwire-upgrade-'));
  const schema = `up_${randomBytes(6).toString('hex')}`;
  cleanups.push(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(schema);
  });
  const onPostgres = TEST_DATABASE_URL !== undefined;
  const old = await openStorage(
    onPostgres ? { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema } : { dataDir: dir },
  );
  await migrate(
    old.db as unknown as Kysely<unknown>,
    old.dialect,
    MIGRATIONS.filter((m) => m.id < before),
  );
  return { old, dir, startWith: onPostgres ? { databaseSchema: schema } : { dataDir: dir } };
}
