import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

type FastReader = (sql: string, parameters: ReadonlyArray<unknown>) => unknown[] | undefined;
const fastReaders = new WeakMap<object, FastReader>();

/** Lets prepared reads on `db` skip Kysely's queue when the SQLite connection is idle (see readNow). */
export function registerFastReader(db: Kysely<Database>, reader: FastReader): void {
  fastReaders.set(db, reader);
}

/**
 * A query compiled once per database handle and then executed with fresh parameters, for the hot
 * paths: building and compiling a Kysely query costs ~15 µs, more than running it on SQLite. Build
 * the query with placeholder values in the order the parameters will be given. Only for reads
 * (SELECT): on SQLite they may run synchronously when no transaction is open.
 */
export function prepared<Row, Args extends unknown[]>(build: (db: Db) => { compile(): CompiledQuery<Row> }) {
  const cache = new WeakMap<object, CompiledQuery<Row>>();
  return async (db: Db, ...args: Args): Promise<Row[]> => {
    let compiled = cache.get(db);
    if (compiled === undefined) {
      compiled = build(db).compile();
      if (compiled.parameters.length !== args.length) {
        throw new Error(
          `prepared query expects ${compiled.parameters.length} parameters, got ${args.length}`,
        );
      }
      cache.set(db, compiled);
    }
    const fast = fastReaders.get(db);
    if (fast !== undefined) {
      const rows = fast(compiled.sql, args);
      if (rows !== undefined) return rows as Row[];
    }
    const result = await db.executeQuery<Row>({ ...compiled, parameters: args });
    return result.rows;
  };
}
