import { type Kysely, type OperationNodeSource, type RawBuilder, sql } from 'kysely';
import type { EventRow } from './event-store.js';

/** What an emitting transaction on PostgreSQL writes, sends and reads just before its commit. */
export interface PgCommitWork {
  /** Accounts whose counter must be set to the last seq the transaction took. */
  counters: readonly (readonly [accountId: string, last: number])[];
  events: readonly EventRow[];
  channel: string;
  /** NOTIFY payloads, sent in this order. */
  payloads: readonly string[];
  /** Reads for the commit hooks, each one JSON value; their results come back in this order. */
  reads: readonly RawBuilder<unknown>[];
  /** Other inserts of the transaction that nothing in it reads back (the steps it planned). */
  writes: readonly OperationNodeSource[];
}

/**
 * Does an emitting transaction's work before its commit in one statement, so in one round trip:
 * the account's counter row stays locked from the seq's first use until the commit, and every
 * round trip in between is time the account's next transaction waits. The counter, event and
 * queued inserts are data-modifying CTEs (PostgreSQL runs each exactly once, referenced or not);
 * the notifications and the reads are the columns of the one row the statement returns, evaluated
 * left to right, so the notifications leave in the order given. The reads see the database as of
 * the statement's start (READ COMMITTED), as a separate statement would have.
 */
export async function runPgCommit<DB>(db: Kysely<DB>, work: PgCommitWork): Promise<unknown[]> {
  const ctes: RawBuilder<unknown>[] = [];
  if (work.counters.length > 0) {
    const values = work.counters.map(([accountId, last]) => sql`(${accountId}, ${last})`);
    ctes.push(sql`counters as (
      insert into event_counter (account_id, last_seq) values ${sql.join(values)}
      on conflict (account_id) do update set last_seq = excluded.last_seq)`);
  }
  if (work.events.length > 0) {
    const values = work.events.map(
      (e) => sql`(${e.uuid}, ${e.account_id}, ${e.seq}, ${e.type}, ${e.ref_id}, ${e.created_on}, ${e.json})`,
    );
    ctes.push(sql`events as (
      insert into event (uuid, account_id, seq, type, ref_id, created_on, json) values ${sql.join(values)})`);
  }
  work.writes.forEach((write, i) => {
    ctes.push(sql`${sql.ref(`write_${i}`)} as (${write})`);
  });
  const columns = [
    ...work.payloads.map((payload) => sql`pg_notify(${work.channel}, ${payload})`),
    ...work.reads.map((read, i) => sql`(${read}) as ${sql.ref(`read_${i}`)}`),
  ];
  if (columns.length === 0) columns.push(sql`1`);
  const withClause = ctes.length === 0 ? sql`` : sql`with ${sql.join(ctes)} `;
  const { rows } = await sql<Record<string, unknown>>`${withClause}select ${sql.join(columns)}`.execute(db);
  const row = rows[0] ?? {};
  return work.reads.map((_, i) => row[`read_${i}`]);
}
