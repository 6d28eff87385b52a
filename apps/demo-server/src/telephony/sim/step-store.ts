import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { preparedInsertRows, preparedStatement } from '../../db/prepared.js';
import type { TelephonyTables } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import { iso } from '../time.js';

/** A new step's columns; {@link insertSteps} takes each row's values in this order. */
const NEW_STEP = {
  kind: '',
  target: '',
  account_id: '',
  payload: '',
  due_on: '',
  attempt: 0,
  created_on: '',
};

/** A new step's row, its keys in the order of {@link NEW_STEP}. */
function stepRow(s: NewStep, created: string): typeof NEW_STEP {
  return {
    kind: s.kind,
    target: s.target,
    account_id: s.accountId,
    payload: JSON.stringify(s.payload ?? null),
    due_on: iso(s.dueMs),
    attempt: 0,
    created_on: created,
  };
}

// Every send writes steps (an SMS plans three): the insert is compiled once per row count rather
// than built for each call.
const insertSteps = preparedInsertRows<TelephonyTables>(16, (db, rows) =>
  db.insertInto('sim_step').values(Array.from({ length: rows }, () => NEW_STEP)),
);

/** A claimed step's row. */
interface ClaimedRow {
  id: number | string;
  kind: string;
  target: string;
  account_id: string;
  payload: string;
  due_on: string;
  attempt: number | string;
}

/** Ids one take statement deletes at most; its statement is compiled once per count up to this. */
const MAX_IDS = 64;

// The worker takes the steps of every transaction it runs (a send's steps run in batches); the
// delete is compiled once per id count (and per whether the steps are claimed) rather than built
// each time.
const takeStatements = new Map<
  string,
  (db: TelephonyDb, ...args: unknown[]) => Promise<{ id: number | string }[]>
>();
function takeStatement(count: number, claimed: boolean) {
  const key = `${count}${claimed ? 'c' : 'u'}`;
  let statement = takeStatements.get(key);
  if (statement === undefined) {
    statement = preparedStatement<TelephonyTables, { id: number | string }, unknown[]>((db) =>
      db
        .deleteFrom('sim_step')
        .where(
          'id',
          'in',
          Array.from({ length: count }, () => 0),
        )
        .where((eb) => (claimed ? eb('lease_owner', '=', '') : eb('lease_owner', 'is', null)))
        .returning('id'),
    );
    takeStatements.set(key, statement);
  }
  return statement;
}

/**
 * Who holds a step: the instance that claimed it (its worker's owner id), or null for a step that
 * is not claimed because it is taken in the very transaction that runs it (see
 * {@link StepStore.pickDue}).
 */
export type StepHolder = string | null;

/** The columns a claim or a take returns. */
const STEP_COLUMNS = ['id', 'kind', 'target', 'account_id', 'payload', 'due_on', 'attempt'] as const;

/**
 * The ids of due steps that nobody holds and that are the earliest of their target, in due order.
 * Parameters: now, the excluded kinds, now, limit.
 */
function duePick(db: TelephonyDb, kindCount: number, postgres: boolean) {
  const pick = db
    .selectFrom('sim_step as s')
    .select('s.id')
    .where('s.due_on', '<=', '')
    .$if(kindCount > 0, (q) =>
      q.where(
        's.kind',
        'not in',
        Array.from({ length: kindCount }, () => ''),
      ),
    )
    .where((eb) => eb.or([eb('s.lease_until', 'is', null), eb('s.lease_until', '<', '')]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sim_step as e')
            .select('e.id')
            .whereRef('e.target', '=', 's.target')
            // One row-value comparison (both columns are NOT NULL, so it is the same order as
            // "earlier due, or same due and lower id"): both dialects then seek the target's
            // index to the rows before this one instead of reading all of the target's rows.
            .where((eb) => eb(eb.refTuple('e.due_on', 'e.id'), '<', eb.refTuple('s.due_on', 's.id'))),
        ),
      ),
    )
    .orderBy('s.due_on')
    .orderBy('s.id')
    .limit(0);
  return postgres ? pick.forUpdate().skipLocked() : pick;
}

/** The condition that a step is held by `holder`. */
function heldBy(eb: ExpressionBuilder<TelephonyTables, 'sim_step'>, holder: StepHolder) {
  return holder === null ? eb('lease_owner', 'is', null) : eb('lease_owner', '=', holder);
}

function toStep(r: ClaimedRow): Step {
  return {
    id: Number(r.id),
    kind: r.kind,
    target: r.target,
    accountId: r.account_id,
    payload: JSON.parse(r.payload) as unknown,
    dueMs: Date.parse(r.due_on),
    attempt: Number(r.attempt),
  };
}

function byDue(a: Step, b: Step): number {
  return a.dueMs - b.dueMs || a.id - b.id;
}

/** A step of the simulated network as the worker runs it. */
export interface Step {
  id: number;
  kind: string;
  /** The resource it moves (a call, a message, an order, a batch): its steps run one at a time. */
  target: string;
  accountId: string;
  payload: unknown;
  /** When it was due (epoch ms of the server clock). */
  dueMs: number;
  /** Failed runs so far. */
  attempt: number;
}

/** A step to write: due at `dueMs` on the server clock. */
export interface NewStep {
  kind: string;
  target: string;
  accountId: string;
  payload?: unknown;
  dueMs: number;
}

/** Which kinds a claim or a look-ahead covers: all but these (a list that is never empty). */
export interface KindFilter {
  except: readonly string[];
}

/** The operator and list of a {@link KindFilter}. */
function kindTest(kinds: KindFilter): ['not in', string[]] {
  return ['not in', [...kinds.except]];
}

/**
 * `sim_step` as the worker sees it. A claim is a lease (`lease_owner`, `lease_until`) taken by one
 * conditional UPDATE; on PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`, so instances
 * claiming at once take different steps. Only a target's earliest step can be claimed, so the steps
 * of one call (or message, order, batch) never run out of order or at the same time, whichever
 * instances run them. A claim that lapses (its instance died) can be taken again; the run itself
 * deletes the row conditionally on still holding the lease, in the transaction of its effect, so
 * an effect commits once even when a lapsed lease is taken over mid-step. A single instance on
 * SQLite can skip the lease for steps that do all their work in that transaction: it picks them
 * and deletes them in it ({@link StepStore.pickDue}).
 */
export class StepStore {
  readonly #db: TelephonyDb;
  readonly #postgres: boolean;
  /** The compiled claims, by the number of kinds they exclude (see {@link StepStore.#claimStatement}). */
  readonly #claims: ((db: TelephonyDb, ...args: unknown[]) => Promise<ClaimedRow[]>)[] = [];
  /** The compiled reads of due steps, by the number of kinds they exclude (see {@link StepStore.pickDue}). */
  readonly #picks: ((db: TelephonyDb, ...args: unknown[]) => Promise<ClaimedRow[]>)[] = [];

  constructor(db: TelephonyDb, dialect: 'sqlite' | 'postgres') {
    this.#db = db;
    this.#postgres = dialect === 'postgres';
  }

  /**
   * The claim (see {@link claim}) for `kindCount` excluded kinds, compiled once: it runs several
   * times a second under load and building it cost more than running it. Parameters: owner, lease
   * end, now, the excluded kinds, now, limit.
   */
  #claimStatement(kindCount: number) {
    let statement = this.#claims[kindCount];
    if (statement === undefined) {
      const postgres = this.#postgres;
      statement = preparedStatement<TelephonyTables, ClaimedRow, unknown[]>((db) => {
        const pick = duePick(db, kindCount, postgres);
        // PostgreSQL plans `id IN (pick)` as a hash join over a scan of the whole table, which grows
        // with every pending step; `id = any(array(pick))` runs the pick once and then looks the
        // picked ids up by primary key. SQLite already does the latter for IN.
        const picked = postgres ? sql<SqlBool>`${sql.ref('id')} = any(array(${pick}))` : undefined;
        return db
          .updateTable('sim_step')
          .set({ lease_owner: '', lease_until: '' })
          .where((eb) => picked ?? eb('id', 'in', pick))
          .returning(STEP_COLUMNS);
      });
      this.#claims[kindCount] = statement;
    }
    return statement;
  }

  /** The read of due steps (see {@link pickDue}) for `kindCount` excluded kinds, compiled once. */
  #pickStatement(kindCount: number) {
    let statement = this.#picks[kindCount];
    if (statement === undefined) {
      statement = preparedStatement<TelephonyTables, ClaimedRow, unknown[]>((db) =>
        duePick(db, kindCount, false)
          .clearSelect()
          .select(STEP_COLUMNS.map((c) => `s.${c}` as const)),
      );
      this.#picks[kindCount] = statement;
    }
    return statement;
  }

  /** Writes steps inside the caller's transaction. */
  async insert(trx: TelephonyDb, steps: readonly NewStep[], nowMs: number): Promise<void> {
    if (steps.length === 0) return;
    const created = iso(nowMs);
    await insertSteps(
      trx,
      steps.map((s) => Object.values(stepRow(s, created))),
    );
  }

  /** {@link insert} as a statement to run later in the caller's transaction (see writeAtCommit). */
  insertQuery(trx: TelephonyDb, steps: readonly NewStep[], nowMs: number) {
    const created = iso(nowMs);
    return trx.insertInto('sim_step').values(steps.map((s) => stepRow(s, created)));
  }

  /** Whether a step of `kind` is pending (any target), read in the caller's transaction. */
  async hasPending(trx: TelephonyDb, kind: string): Promise<boolean> {
    const row = await trx.selectFrom('sim_step').select('id').where('kind', '=', kind).executeTakeFirst();
    return row !== undefined;
  }

  /** Deletes the other pending steps of `kind` than step `keepId`, in the caller's transaction. */
  async removeOthers(trx: TelephonyDb, kind: string, keepId: number): Promise<void> {
    await trx.deleteFrom('sim_step').where('kind', '=', kind).where('id', '!=', keepId).execute();
  }

  /**
   * Leases up to `limit` due steps (of the kinds `kinds` lets through) to `owner` until
   * `leaseUntilMs`; returned in due order.
   */
  async claim(
    owner: string,
    nowMs: number,
    leaseUntilMs: number,
    limit: number,
    kinds?: KindFilter,
  ): Promise<Step[]> {
    const now = iso(nowMs);
    const except = kinds?.except ?? [];
    const rows = await this.#claimStatement(except.length)(
      this.#db,
      owner,
      iso(leaseUntilMs),
      now,
      ...except,
      now,
      limit,
    );
    return rows.map(toStep).sort(byDue);
  }

  /**
   * Up to `limit` due steps (of the kinds `kinds` lets through) that a claim would take, read in
   * the caller's transaction, in due order; the caller then takes ({@link takeAll} with no holder)
   * or claims ({@link claimSome}) each of them in that transaction. Only for one instance whose
   * transactions run one at a time (SQLite): nobody else can pick the same steps meanwhile.
   */
  async pickDue(trx: TelephonyDb, nowMs: number, limit: number, kinds?: KindFilter): Promise<Step[]> {
    if (this.#postgres) throw new Error('due steps are picked without a claim on SQLite only');
    const now = iso(nowMs);
    const except = kinds?.except ?? [];
    const rows = await this.#pickStatement(except.length)(trx, now, ...except, now, limit);
    return rows.map(toStep);
  }

  /** Claims the steps `ids` (read by {@link pickDue}) for `owner` until `leaseUntilMs`, in the caller's transaction. */
  async claimSome(
    trx: TelephonyDb,
    ids: readonly number[],
    owner: string,
    leaseUntilMs: number,
  ): Promise<void> {
    await trx
      .updateTable('sim_step')
      .set({ lease_owner: owner, lease_until: iso(leaseUntilMs) })
      .where('id', 'in', [...ids])
      .execute();
  }

  /**
   * Deletes a step held by `holder` inside the transaction that runs it; false when the lease was
   * lost (it lapsed and another instance took the step) or the step is gone.
   */
  async take(trx: TelephonyDb, id: number, holder: StepHolder): Promise<boolean> {
    return (await this.takeAll(trx, [id], holder)).has(id);
  }

  /** {@link take} for several steps in one statement: the ids still held, now deleted. */
  async takeAll(trx: TelephonyDb, ids: readonly number[], holder: StepHolder): Promise<Set<number>> {
    const held = new Set<number>();
    const claimed = holder !== null;
    for (let i = 0; i < ids.length; i += MAX_IDS) {
      const chunk = ids.slice(i, i + MAX_IDS);
      const rows = await takeStatement(chunk.length, claimed)(trx, ...chunk, ...(claimed ? [holder] : []));
      for (const r of rows) held.add(Number(r.id));
    }
    return held;
  }

  /** Keeps a claim alive for a step that waits on something slow (a call-flow URL). */
  async extend(id: number, owner: string, leaseUntilMs: number): Promise<void> {
    await this.#db
      .updateTable('sim_step')
      .set({ lease_until: iso(leaseUntilMs) })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** A failed run: released, due again at `retryMs`, one attempt more. */
  async retry(id: number, holder: StepHolder, retryMs: number): Promise<void> {
    await this.#db
      .updateTable('sim_step')
      .set((eb) => ({
        lease_owner: null,
        lease_until: null,
        due_on: iso(retryMs),
        attempt: eb('attempt', '+', 1),
      }))
      .where('id', '=', id)
      .where((eb) => heldBy(eb, holder))
      .execute();
  }

  /** Gives back claims of `owner` without counting an attempt (not run, or interrupted by shutdown). */
  async releaseSome(ids: readonly number[], owner: string): Promise<void> {
    await this.#db
      .updateTable('sim_step')
      .set({ lease_owner: null, lease_until: null })
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Drops a step that failed every attempt. */
  async drop(id: number, holder: StepHolder): Promise<void> {
    await this.#db
      .deleteFrom('sim_step')
      .where('id', '=', id)
      .where((eb) => heldBy(eb, holder))
      .execute();
  }

  /** Gives back every claim of `owner` (shutdown), or of everyone when `owner` is undefined. */
  async release(owner: string | undefined): Promise<void> {
    let q = this.#db
      .updateTable('sim_step')
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', 'is not', null);
    if (owner !== undefined) q = q.where('lease_owner', '=', owner);
    await q.execute();
  }

  /**
   * When a step (of the kinds `kinds` lets through) next becomes claimable (epoch ms): the earliest
   * unleased due time, or the earliest lease that will lapse (its instance may have died).
   * Undefined when nothing is pending.
   */
  async nextDue(nowMs: number, kinds?: KindFilter): Promise<number | undefined> {
    const now = iso(nowMs);
    const free = await this.#db
      .selectFrom('sim_step')
      .select('due_on')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .$if(kinds !== undefined, (q) => q.where('kind', ...kindTest(kinds as KindFilter)))
      .orderBy('due_on')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    const leased = await this.#db
      .selectFrom('sim_step')
      .select(sql<string | null>`min(lease_until)`.as('until'))
      .where('lease_until', '>=', now)
      .$if(kinds !== undefined, (q) => q.where('kind', ...kindTest(kinds as KindFilter)))
      .executeTakeFirst();
    const times = [free?.due_on, leased?.until ?? undefined]
      .filter((t): t is string => typeof t === 'string')
      .map((t) => Date.parse(t));
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** How many steps are pending (tests and benchmarks). */
  async pending(): Promise<number> {
    const row = await this.#db
      .selectFrom('sim_step')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
