import { type Kysely, sql } from 'kysely';
import { preparedInsertRows, preparedStatement } from '../db/prepared.js';
import type { PublishedEvent } from './published-event.js';
import type { EventsTables } from './tables.js';

/** A Kysely handle (the database or a transaction) seen through the events tables only. */
export type EventsDb = Kysely<EventsTables>;

export interface NewEventRow {
  uuid: string;
  accountId: string;
  type: string;
  refId: string;
  createdOn: string;
  /** Builds the event object's JSON once its seq is known. */
  json: (seq: number) => string;
}

/**
 * Takes `count` seqs for an account and returns the last one. The counter row is updated inside the
 * caller's transaction: on PostgreSQL the row lock serialises concurrent writers of one account
 * until commit, on SQLite transactions are serialised anyway, so seqs have no gaps and no
 * duplicates whichever transaction commits first. (A rolled-back transaction rolls its seqs back.)
 */
const takeSeqsStatement = preparedStatement<EventsTables, { last_seq: number }, [string, number, number]>(
  (db) =>
    db
      .insertInto('event_counter')
      .values({ account_id: '', last_seq: 0 })
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet({ last_seq: sql<number>`event_counter.last_seq + ${0}` }),
      )
      .returning('last_seq'),
);

export async function takeSeqs(db: EventsDb, accountId: string, count: number): Promise<number> {
  const [row] = await takeSeqsStatement(db, accountId, count, count);
  if (row === undefined) throw new Error('the event counter returned no row');
  return Number(row.last_seq);
}

const setLastSeqStatement = preparedStatement<EventsTables, never, [string, number]>((db) =>
  db
    .insertInto('event_counter')
    .values({ account_id: '', last_seq: 0 })
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({ last_seq: (eb) => eb.ref('excluded.last_seq') }),
    ),
);

/**
 * Sets an account's counter to `last` (the caller holds the counter row since {@link takeSeqs}).
 * Writes the row if it is missing: a transaction that created it may have been rolled back since.
 */
export async function setLastSeq(db: EventsDb, accountId: string, last: number): Promise<void> {
  await setLastSeqStatement(db, accountId, last);
}

export interface EventRow {
  uuid: string;
  account_id: string;
  seq: number;
  type: string;
  ref_id: string;
  created_on: string;
  json: string;
}

/** An event row's columns; {@link insertEvents} takes each row's values in this order. */
const EVENT_ROW = { uuid: '', account_id: '', seq: 0, type: '', ref_id: '', created_on: '', json: '' };

// Every emitting transaction inserts its events: the statement is compiled once per row count.
const insertEventRows = preparedInsertRows<EventsTables>(32, (db, rows) =>
  db.insertInto('event').values(Array.from({ length: rows }, () => EVENT_ROW)),
);

/** Inserts events, several per statement. */
export async function insertEvents(db: EventsDb, rows: readonly EventRow[]): Promise<void> {
  await insertEventRows(
    db,
    rows.map((r) => [r.uuid, r.account_id, r.seq, r.type, r.ref_id, r.created_on, r.json]),
  );
}

export async function lastSeq(db: EventsDb, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('event_counter')
    .select('last_seq')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row === undefined ? 0 : Number(row.last_seq);
}

export async function oldestSeq(db: EventsDb, accountId: string): Promise<number | null> {
  const row = await db
    .selectFrom('event')
    .select('seq')
    .where('account_id', '=', accountId)
    .orderBy('seq', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : Number(row.seq);
}

/** Escapes LIKE wildcards so that `a_b.*` matches only `a_b.…`. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Retained events of an account with seq > afterSeq, ascending, at most `limit`, optionally only
 * the types `patterns` select (`*`, `call.*`, exact types).
 */
export async function readAfter(
  db: EventsDb,
  accountId: string,
  afterSeq: number,
  limit: number,
  patterns?: readonly string[],
): Promise<PublishedEvent[]> {
  let query = db
    .selectFrom('event')
    .select(['seq', 'type', 'json'])
    .where('account_id', '=', accountId)
    .where('seq', '>', afterSeq);
  if (patterns !== undefined && patterns.length > 0 && !patterns.includes('*')) {
    query = query.where((eb) =>
      eb.or(
        patterns.map((p) =>
          p.endsWith('.*')
            ? sql<boolean>`${eb.ref('type')} like ${likePrefix(p.slice(0, -1))} escape '\\'`
            : eb('type', '=', p),
        ),
      ),
    );
  }
  const rows = await query.orderBy('seq', 'asc').limit(limit).execute();
  return rows.map((r) => ({ accountId, seq: Number(r.seq), type: r.type, json: r.json }));
}

/**
 * Deletes events created before `cutoff` (ISO); the counters stay, so seqs never restart. Events
 * are written in time order per account, so each account's expired events are the ones before its
 * first retained event, found by the (account_id, seq) key: the statement reads the rows it deletes
 * and one more, and needs no index on `created_on` (which every insert would have to update). Where
 * commits of one account's events overtook each other by a few milliseconds, an expired event
 * after a retained one waits for the next purge: events are kept at least as long as promised.
 */
export async function purgeBefore(db: EventsDb, cutoff: string): Promise<number> {
  const accounts = await db.selectFrom('event_counter').select('account_id').execute();
  let deleted = 0;
  for (const { account_id: accountId } of accounts) {
    const result = await sql`
      delete from event
      where account_id = ${accountId} and seq < coalesce(
        (select kept.seq from event kept
         where kept.account_id = ${accountId} and kept.created_on >= ${cutoff}
         order by kept.seq limit 1),
        (select c.last_seq + 1 from event_counter c where c.account_id = ${accountId}))`.execute(db);
    deleted += Number(result.numAffectedRows ?? 0);
  }
  return deleted;
}
