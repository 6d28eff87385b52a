import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';

/**
 * Kysely over `node:sqlite`. Kysely's SqliteDialect expects better-sqlite3's statement shape
 * (`reader`, array parameters); node:sqlite takes spread parameters and knows no `reader`, so this
 * adapter supplies both. Statements are cached by SQL text: Kysely compiles the same text for the
 * same query shape, so the hot routes never re-prepare.
 */

const MAX_CACHED_STATEMENTS = 500;

type SqliteValue = null | number | bigint | string | Uint8Array;

function toSqlite(value: unknown): SqliteValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

function params(parameters: ReadonlyArray<unknown>): SqliteValue[] {
  const out = new Array<SqliteValue>(parameters.length);
  for (let i = 0; i < parameters.length; i++) out[i] = toSqlite(parameters[i]);
  return out;
}

/** What the statements of one connection share. */
interface ConnectionState {
  /** Statements that may write, so read caches know whether anything changed. */
  writes: number;
  /** A statement to run just before the next one (see {@link NodeSqliteDatabase.execBeforeNext}). */
  pending: StatementSync | undefined;
}

/** Runs the connection's pending statement, if any, once. */
function runPending(state: ConnectionState): void {
  const pending = state.pending;
  if (pending === undefined) return;
  state.pending = undefined;
  pending.run();
}

/**
 * A function that turns a row given as an array of values into an object keyed by `names` (the
 * statement's columns, in order; a later column of the same name wins, as with node:sqlite's own
 * objects). node:sqlite builds each row object key by key in C++; an array and an object literal
 * of a fixed shape cost about half as much (the send path reads a 19-column message row per step).
 */
type RowMaker = (values: readonly unknown[]) => Record<string, unknown>;

function rowMaker(names: readonly string[]): RowMaker {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as RowMaker;
}

class NodeSqliteStatement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: StatementSync;
  readonly #mayWrite: boolean;
  readonly #counter: ConnectionState;
  /** Makes a row object from the values node:sqlite returns (readers only). */
  readonly #row: RowMaker | undefined;

  constructor(stmt: StatementSync, sql: string, counter: ConnectionState) {
    this.#stmt = stmt;
    this.#counter = counter;
    // Conservative: anything but a plain SELECT/PRAGMA/EXPLAIN counts as a write (WITH … UPDATE exists).
    this.#mayWrite = !/^\s*(select|pragma|explain)\b/i.test(sql);
    // A statement that yields columns is a reader (SELECT, WITH, PRAGMA, … RETURNING).
    let reader: boolean;
    let names: string[] | undefined;
    try {
      names = stmt.columns().map((c) => c.name);
      reader = names.length > 0;
    } catch {
      reader = /^\s*(select|with|pragma|values)\b/i.test(sql) || /\breturning\b/i.test(sql);
    }
    this.reader = reader;
    // A column named like the prototype link would set it in an object literal: such a statement
    // keeps node:sqlite's own objects.
    if (names !== undefined && names.length > 0 && !names.includes('__proto__')) {
      stmt.setReturnArrays(true);
      this.#row = rowMaker(names);
    }
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    runPending(this.#counter);
    if (this.#mayWrite) this.#counter.writes++;
    const rows = this.#stmt.all(...params(parameters)) as unknown[];
    const row = this.#row;
    if (row !== undefined) for (let i = 0; i < rows.length; i++) rows[i] = row(rows[i] as unknown[]);
    return rows;
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    runPending(this.#counter);
    this.#counter.writes++;
    return this.#stmt.run(...params(parameters));
  }

  *iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    runPending(this.#counter);
    const row = this.#row;
    for (const values of this.#stmt.iterate(...params(parameters)))
      yield row === undefined ? values : row(values as unknown as unknown[]);
  }
}

export class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, NodeSqliteStatement>();
  readonly #counter: ConnectionState = { writes: 0, pending: undefined };
  readonly #control = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  prepare(sql: string): SqliteStatement {
    let stmt = this.#cache.get(sql);
    if (stmt === undefined) {
      stmt = new NodeSqliteStatement(this.#db.prepare(sql), sql, this.#counter);
      if (this.#cache.size >= MAX_CACHED_STATEMENTS) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
      // Transaction control statements change meaning with state; never cache them.
      if (!/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(sql)) this.#cache.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * Runs a read synchronously, outside Kysely's connection queue, when no transaction is open on
   * the connection (so it cannot see uncommitted writes); undefined tells the caller to go the
   * normal way. The hot read paths use it: it skips ~10 µs of queueing and promise hops per query.
   */
  readNow(sql: string, parameters: ReadonlyArray<unknown>): unknown[] | undefined {
    if (this.#db.isTransaction) return undefined;
    return this.prepare(sql).all(parameters);
  }

  /** Runs a statement now, for a caller that holds the connection (inside its transaction). */
  runHeld(sql: string, parameters: ReadonlyArray<unknown>): unknown[] {
    const stmt = this.prepare(sql);
    if (stmt.reader) return stmt.all(parameters);
    stmt.run(parameters);
    return [];
  }

  /**
   * How many statements that may write have run on this connection. A read taken while no
   * transaction was open stays exact as long as this number has not moved (the connection is the
   * only writer of its data folder: one server process per folder; PostgreSQL is the shared option).
   */
  get writeGeneration(): number {
    return this.#counter.writes;
  }

  /**
   * Runs a statement that returns nothing (a savepoint) at once, outside Kysely's queue. The few
   * such statements are prepared once: parsing them costs more than running them.
   */
  exec(sql: string): void {
    this.#controlStatement(sql).run();
  }

  /**
   * Runs `sql` (a savepoint) just before the next statement run on this connection, or never:
   * the returned `settle` cancels it if it has not run yet and tells whether it ran. A caller whose
   * work may run no statement at all pays nothing for it then.
   */
  execBeforeNext(sql: string): () => boolean {
    const stmt = this.#controlStatement(sql);
    this.#counter.pending = stmt;
    return () => {
      if (this.#counter.pending !== stmt) return true;
      this.#counter.pending = undefined;
      return false;
    };
  }

  #controlStatement(sql: string): StatementSync {
    let stmt = this.#control.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      this.#control.set(sql, stmt);
    }
    return stmt;
  }

  close(): void {
    this.#cache.clear();
    this.#control.clear();
    if (this.#db.isOpen) this.#db.close();
  }
}

/**
 * Transactions start with BEGIN IMMEDIATE: the write lock is taken at the start, so two writers
 * (even in two processes sharing the data folder) never both read a balance and then both write it;
 * the second waits for the busy timeout instead of failing at commit with SQLITE_BUSY.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class NodeSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
