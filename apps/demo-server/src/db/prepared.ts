import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface FastReader {
  /** Runs a read now, or returns undefined when it must wait its turn (a transaction is open). */
  read(sql: string, parameters: ReadonlyArray<unknown>): unknown[] | undefined;
  /** Moves whenever anything may have been written. */
  generation(): number;
  /**
   * Runs a statement now on the connection, for a caller inside one of its transactions (which
   * holds the connection): the rows it returns, or none.
   */
  runHeld(sql: string, parameters: ReadonlyArray<unknown>): unknown[];
}
const fastReaders = new WeakMap<object, FastReader>();

/** The database each open transaction belongs to, so statements compiled once serve all of them. */
const owners = new WeakMap<object, object>();

/** Records that `trx` is a transaction of `db` (inTransaction does it for every transaction it opens). */
export function bindTransaction(trx: object, db: object): void {
  owners.set(trx, db);
}

/** Lets prepared reads on `db` skip Kysely's queue when the SQLite connection is idle (see readNow). */
export function registerFastReader(db: Kysely<Database>, reader: FastReader): void {
  fastReaders.set(db, reader);
}

export interface PreparedOptions {
  /**
   * Keep results until anything is written (SQLite only; exact, see writeGeneration). For the
   * hottest reads, such as the account of every GET /rest/account.
   */
  cacheUntilWrite?: boolean;
}

const MAX_CACHED_RESULTS = 10_000;

/** A read compiled once: call it to run it (or take its cached result). */
export interface PreparedQuery<Row, Args extends unknown[]> {
  (db: Db, ...args: Args): Promise<Row[]>;
  /**
   * With `cacheUntilWrite`: the rows cached for these parameters and still exact, without a promise
   * (a caller on a hot path can then answer synchronously); undefined when the query would have
   * to run, and always undefined without `cacheUntilWrite`.
   */
  cached(db: Db, ...args: Args): Row[] | undefined;
}

/**
 * A query compiled once per database handle and then executed with fresh parameters, for the hot
 * paths: building and compiling a Kysely query costs ~15 µs, more than running it on SQLite. Build
 * the query with placeholder values in the order the parameters will be given. Only for reads
 * (SELECT): on SQLite they may run synchronously when no transaction is open.
 */
export function prepared<Row, Args extends unknown[]>(
  build: (db: Db) => { compile(): CompiledQuery<Row> },
  options: PreparedOptions = {},
): PreparedQuery<Row, Args> {
  const cache = new WeakMap<object, CompiledQuery<Row>>();
  let results = new Map<string, Row[]>();
  let resultsGeneration = -1;
  const run = async (db: Db, ...args: Args): Promise<Row[]> => {
    const root = owners.get(db);
    let compiled = cache.get(root ?? db);
    if (compiled === undefined) {
      compiled = build(db).compile();
      if (compiled.parameters.length !== args.length) {
        throw new Error(
          `prepared query expects ${compiled.parameters.length} parameters, got ${args.length}`,
        );
      }
      cache.set(root ?? db, compiled);
    }
    // Inside a transaction on SQLite the connection is ours: run at once.
    const held = root === undefined ? undefined : fastReaders.get(root);
    if (held !== undefined) return held.runHeld(compiled.sql, args) as Row[];
    const fast = fastReaders.get(db);
    if (fast !== undefined) {
      if (options.cacheUntilWrite) {
        const generation = fast.generation();
        if (generation !== resultsGeneration) {
          results = new Map();
          resultsGeneration = generation;
        }
        const key = args.length === 1 ? String(args[0]) : JSON.stringify(args);
        const hit = results.get(key);
        if (hit !== undefined) return hit;
        const rows = fast.read(compiled.sql, args) as Row[] | undefined;
        if (rows !== undefined) {
          if (results.size >= MAX_CACHED_RESULTS) results.clear();
          results.set(key, rows);
          return rows;
        }
      } else {
        const rows = fast.read(compiled.sql, args);
        if (rows !== undefined) return rows as Row[];
      }
    }
    const result = await db.executeQuery<Row>({ ...compiled, parameters: args });
    return result.rows;
  };
  const cached = (db: Db, ...args: Args): Row[] | undefined => {
    if (!options.cacheUntilWrite) return undefined;
    const fast = fastReaders.get(db);
    if (fast === undefined || fast.generation() !== resultsGeneration) return undefined;
    return results.get(args.length === 1 ? String(args[0]) : JSON.stringify(args));
  };
  return Object.assign(run, { cached });
}

/**
 * A statement compiled once per database (and shared by its transactions) and then executed with
 * fresh parameters: for writes on the hottest paths, where building and compiling the Kysely query
 * costs more than running it. Build it with placeholder values in the order the parameters will be
 * given. Unlike {@link prepared} it never skips the driver's queue and caches no results.
 */
export function preparedStatement<DB, Row, Args extends unknown[]>(
  build: (db: Kysely<DB>) => { compile(): CompiledQuery<Row> },
) {
  const cache = new WeakMap<object, CompiledQuery<Row>>();
  return async (db: Kysely<DB>, ...args: Args): Promise<Row[]> => {
    const root = owners.get(db);
    const owner = root ?? db;
    let compiled = cache.get(owner);
    if (compiled === undefined) {
      compiled = build(db).compile();
      if (compiled.parameters.length !== args.length) {
        throw new Error(
          `prepared statement expects ${compiled.parameters.length} parameters, got ${args.length}`,
        );
      }
      cache.set(owner, compiled);
    }
    // Inside a transaction on SQLite the connection is ours: run at once, without the driver's
    // promise hops (a few µs per statement, more than the statement itself on the hot paths).
    const fast = root === undefined ? undefined : fastReaders.get(root);
    if (fast !== undefined) return fast.runHeld(compiled.sql, args) as Row[];
    const result = await db.executeQuery<Row>({ ...compiled, parameters: args });
    return result.rows;
  };
}

/**
 * A multi-row INSERT for the hot paths, compiled once per row count (see {@link preparedStatement}):
 * `build(db, n)` builds it for `n` rows of placeholder values. The returned function takes each
 * row's values in the order of the built row's columns, and writes at most `maxRows` rows per
 * statement (SQLite bounds the parameters of one; it also bounds how many statements are kept).
 */
export function preparedInsertRows<DB>(
  maxRows: number,
  build: (db: Kysely<DB>, rows: number) => { compile(): CompiledQuery<unknown> },
) {
  const byCount: ((db: Kysely<DB>, ...args: unknown[]) => Promise<unknown[]>)[] = [];
  const statement = (rows: number) => {
    let found = byCount[rows];
    if (found === undefined) {
      found = preparedStatement<DB, unknown, unknown[]>((db) => build(db, rows));
      byCount[rows] = found;
    }
    return found;
  };
  return async (db: Kysely<DB>, rows: readonly (readonly unknown[])[]): Promise<void> => {
    for (let i = 0; i < rows.length; i += maxRows) {
      const chunk = rows.slice(i, i + maxRows);
      await statement(chunk.length)(db, ...chunk.flat());
    }
  };
}
