import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { createPgPool, defaultBackgroundPoolSize } from './pg-pool.js';
import { registerFastReader } from './prepared.js';
import { loadSqlite } from './quiet-sqlite.js';
import type { Database, DialectName } from './schema.js';
import { NodeSqliteDatabase, NodeSqliteDialect } from './sqlite-dialect.js';
import { registerGroupCommit } from './transaction.js';

export interface StorageOptions {
  /** `postgres://…`: PostgreSQL. Otherwise SQLite. */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (created if missing) that every connection uses as its search_path. */
  databaseSchema?: string | undefined;
  memory?: boolean;
  dataDir?: string;
  /**
   * PostgreSQL connections for requests.
   * @default two per core, between 4 and 20
   */
  poolSize?: number | undefined;
  /**
   * PostgreSQL connections for background work (see {@link Storage.background}).
   * @default one per core, between 2 and 8
   */
  backgroundPoolSize?: number | undefined;
  /** How the embedded database commits concurrent write transactions together (SQLite only). */
  groupCommit?: GroupCommitOptions | undefined;
}

export interface Storage {
  db: Kysely<Database>;
  /**
   * The same database for background work that must keep up whatever the request load (the
   * simulated network's step worker). On PostgreSQL it has connections of its own: on the request
   * pool its transactions waited for a connection behind every queued request (with 100 clients
   * sending, a step ran seconds late). On SQLite it is `db`, whose one connection commits
   * everyone's transactions in groups.
   */
  background: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, for humans (a path, ":memory:" or the URL without its password). */
  location: string;
  /** The raw pg pool (PostgreSQL only), for LISTEN/NOTIFY. */
  pgPool: pg.Pool | undefined;
  close(): Promise<void>;
}

export const SQLITE_FILE = 'callwire.sqlite';

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.databaseUrl !== undefined) return openPostgres(options.databaseUrl, options);
  return openSqlite(options);
}

async function openSqlite(options: StorageOptions): Promise<Storage> {
  const { DatabaseSync } = await loadSqlite();
  let location = ':memory:';
  if (!options.memory) {
    const dir = resolve(options.dataDir ?? '.callwire-data');
    mkdirSync(dir, { recursive: true });
    location = join(dir, SQLITE_FILE);
  }
  const raw = new DatabaseSync(location);
  // WAL: readers never block the writer; synchronous=NORMAL is durable across process crashes in
  // WAL mode (an acknowledged write survives a killed server), the busy timeout absorbs another
  // process holding the write lock briefly. Temporary storage (statement journals, sorts) in memory:
  // it holds nothing that must survive a crash, and with an in-memory database the first write of
  // every transaction otherwise created a temporary file (~14 µs per group commit, as much as
  // inserting a dozen events).
  raw.exec('pragma journal_mode = wal');
  raw.exec('pragma synchronous = normal');
  raw.exec('pragma busy_timeout = 5000');
  raw.exec('pragma foreign_keys = on');
  raw.exec('pragma temp_store = memory');
  const adapter = new NodeSqliteDatabase(raw);
  const db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ database: adapter }) });
  registerFastReader(db, {
    read: (sql, parameters) => adapter.readNow(sql, parameters),
    generation: () => adapter.writeGeneration,
    runHeld: (sql, parameters) => adapter.runHeld(sql, parameters),
  });
  registerGroupCommit(db, new GroupCommit(db, adapter, options.groupCommit));
  return {
    db,
    background: db,
    dialect: 'sqlite',
    location,
    pgPool: undefined,
    async close() {
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, options: StorageOptions): Promise<Storage> {
  const schema = options.databaseSchema;
  if (schema !== undefined) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = createPgPool({ url, schema, size: options.poolSize });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const backgroundPool = createPgPool({
    url,
    schema,
    size: options.backgroundPoolSize ?? defaultBackgroundPoolSize(),
  });
  const background = new Kysely<Database>({ dialect: new PostgresDialect({ pool: backgroundPool }) });
  return {
    db,
    background,
    dialect: 'postgres',
    location: redactUrl(url) + (schema !== undefined ? ` (schema ${schema})` : ''),
    pgPool: pool,
    async close() {
      await background.destroy();
      await db.destroy();
    },
  };
}
