import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';

/** int8 / numeric as JS numbers: our bigints are micro-dollars and counters, far below 2^53. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/**
 * Connections for a machine with `cores` cores. A PostgreSQL backend works one query at a time and
 * the server usually shares the machine (or a similar one): about two connections per core keep
 * every core busy while some wait on the network, and fewer connections mean fewer transactions
 * queueing on the same hot rows (an account's balance and event counter) at once.
 */
export function defaultPoolSize(cores: number = availableParallelism()): number {
  return Math.min(20, Math.max(4, cores * 2));
}

/**
 * Connections of the background pool (see `Storage.background`): one per core, 2 to 8. The step
 * worker runs up to 4 lanes of steps; on a small machine two connections keep them moving without
 * taking connections from the requests.
 */
export function defaultBackgroundPoolSize(cores: number = availableParallelism()): number {
  return Math.min(8, Math.max(2, cores));
}

/** Named statements one connection keeps prepared at most; past that, statements run unnamed. */
const MAX_PREPARED_PER_CONNECTION = 500;

type Query = (...args: unknown[]) => unknown;

/**
 * Makes `client` run parameterised statements as named prepared statements, so PostgreSQL parses
 * and plans each statement text once per connection instead of on every execution. The name is a
 * hash of the text: the same text is the same statement. Statements without parameters (DDL,
 * BEGIN, COMMIT, LISTEN) go through unchanged.
 */
function prepareStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  const names = new Set<string>();
  (client as unknown as { query: Query }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0)
      return query(config, values, callback);
    const name = `cw_${createHash('sha1').update(config).digest('base64url')}`;
    if (!names.has(name)) {
      if (names.size >= MAX_PREPARED_PER_CONNECTION) return query(config, values, callback);
      names.add(name);
    }
    return query({ name, text: config, values }, callback);
  };
}

export interface PgPoolOptions {
  url: string;
  /** Schema every connection uses as its search_path. */
  schema?: string | undefined;
  /**
   * Connections in the pool.
   * @default two per core, between 4 and 20 (see {@link defaultPoolSize})
   */
  size?: number | undefined;
}

export function createPgPool(options: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.size ?? defaultPoolSize(),
    types: pgTypes,
    ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
  });
  pool.on('connect', prepareStatements);
  // An idle client losing its connection must not crash the server; the pool replaces it.
  pool.on('error', () => {});
  return pool;
}
