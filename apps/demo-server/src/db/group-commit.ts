import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Lets a transaction's body queue work for the moment its writes are committed. */
export interface CommitHooks {
  /**
   * Runs `fn` once the transaction's writes are committed, before the transaction's promise
   * resolves; never if they roll back. Callbacks of the transactions committed together run in the
   * order those transactions ran, so they see commits in the order the database applied them.
   */
  afterCommit(fn: () => void): void;
  /**
   * Runs `fn` once before the commit, after every transaction committed together with this one ran
   * (on the embedded database its group; otherwise this transaction alone), so work those
   * transactions share is done once: registering the same `fn` from several of them runs it once,
   * with a `hooks.afterCommit` of its own. A transaction that failed registered nothing. If `fn`
   * fails, every transaction of the commit fails.
   */
  beforeCommit(fn: CommitWork): void;
}

/** Work done once per commit (see {@link CommitHooks.beforeCommit}). */
export type CommitWork = (
  trx: Transaction<Database>,
  hooks: { afterCommit(fn: () => void): void },
) => Promise<void>;

/** Runs the once-per-commit work in the order it was first registered; returns its after-commit callbacks. */
export async function runCommitWork(
  trx: Transaction<Database>,
  work: ReadonlySet<CommitWork>,
): Promise<(() => void)[]> {
  const committed: (() => void)[] = [];
  for (const fn of work) await fn(trx, { afterCommit: (callback) => committed.push(callback) });
  return committed;
}

/** Runs after-commit callbacks; one's failure is its owner's to report and costs the others nothing. */
export function runCallbacks(callbacks: readonly (() => void)[]): void {
  for (const fn of callbacks) {
    try {
      fn();
    } catch {
      // Reported by its owner, if at all.
    }
  }
}

export interface GroupCommitOptions {
  /**
   * Most transactions committed together. A bigger group saves commits but holds the connection
   * longer, and reads outside transactions wait for it.
   * @default 64
   */
  maxGroup?: number;
  /**
   * How long a group keeps taking transactions that arrived while it ran, in milliseconds from its
   * start. A group never sleeps for newcomers: when none is queued it lets the event loop turn once
   * (only while such turns find some) and then commits, so a lone transaction is not delayed.
   * @default 4
   */
  maxWaitMs?: number;
}

/** The statements of the group's connection, as the group runs them (synchronously, outside the driver's queue). */
export interface GroupConnection {
  /** Runs a statement that returns nothing. */
  exec(sql: string): void;
  /**
   * Runs `sql` just before the next statement on the connection, or never: the returned function
   * cancels it if it has not run yet and tells whether it ran.
   */
  execBeforeNext(sql: string): () => boolean;
}

/** Every this many groups one waits for company even when the last wait found none. */
const PROBE_EVERY = 16;

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A queued transaction, and the {@link CommitHooks} its body is given (arrow functions, so a hook
 * passed on unbound still works).
 */
class Job implements CommitHooks {
  readonly fn: (trx: Transaction<Database>, hooks: CommitHooks) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  value: unknown = undefined;
  readonly committed: (() => void)[] = [];
  work: CommitWork[] = [];

  constructor(
    fn: (trx: Transaction<Database>, hooks: CommitHooks) => unknown,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ) {
    this.fn = fn;
    this.resolve = resolve;
    this.reject = reject;
  }

  readonly afterCommit = (fn: () => void): void => {
    this.committed.push(fn);
  };

  readonly beforeCommit = (fn: CommitWork): void => {
    this.work.push(fn);
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Group commit on the embedded database. Write transactions from concurrent requests are run one
 * after the other inside one SQLite transaction, each in its own savepoint, and committed together:
 * a transaction that fails rolls back to its savepoint (its own writes only) and fails alone; the
 * others are answered only once the commit holding their writes is done. One commit per group
 * instead of one per request saves the commit's work (the WAL append, the lock hand-over) and the
 * BEGIN/COMMIT round trips through the driver.
 *
 * Transactions still run one at a time on the single connection, so each sees everything the
 * earlier ones in its group wrote, exactly as if they had committed one by one.
 */
export class GroupCommit {
  readonly #db: Kysely<Database>;
  readonly #connection: GroupConnection;
  readonly #now: () => number;
  readonly #maxGroup: number;
  readonly #maxWaitMs: number;
  readonly #queue: Job[] = [];
  #draining = false;
  /** Groups started so far. */
  #groups = 0;
  /** Whether the last wait for company found some. */
  #joiners = true;

  /**
   * @param db the SQLite handle; the group runs in one of its transactions, so queries outside
   *   groups wait on Kysely's connection lock as they would for any transaction.
   * @param connection runs savepoints on that connection synchronously (they need no result and
   *   no trip through the driver's queue, which the group already holds).
   */
  constructor(
    db: Kysely<Database>,
    connection: GroupConnection,
    options: GroupCommitOptions = {},
    now: () => number = () => performance.now(),
  ) {
    this.#db = db;
    this.#connection = connection;
    this.#now = now;
    this.#maxGroup = Math.max(1, options.maxGroup ?? 64);
    this.#maxWaitMs = Math.max(0, options.maxWaitMs ?? 4);
  }

  /**
   * Runs `fn` in a savepoint of the next group; resolves with its result after that group commits.
   * `fn` may return its result directly when it needed no statement's result.
   */
  run<T>(fn: (trx: Transaction<Database>, hooks: CommitHooks) => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push(new Job(fn, resolve as (value: unknown) => void, reject));
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) await this.#group();
    } finally {
      this.#draining = false;
    }
  }

  /**
   * Whether to spend a turn of the event loop waiting for company. Only while turns keep finding
   * some (or now and then, to notice that traffic came back): a lone caller running one transaction
   * after another (a worker) must not pay a turn for each.
   */
  #worthWaiting(): boolean {
    return this.#joiners || this.#groups % PROBE_EVERY === 0;
  }

  async #group(): Promise<void> {
    this.#groups++;
    if (this.#queue.length > 1) this.#joiners = true;
    const done: Job[] = [];
    let taken = 0;
    const started = this.#now();
    let groupCommitted: (() => void)[] = [];
    try {
      await this.#db.transaction().execute(async (trx) => {
        const work = new Set<CommitWork>();
        while (taken < this.#maxGroup) {
          if (taken > 0 && this.#now() - started >= this.#maxWaitMs) break;
          if (this.#queue.length === 0 && taken > 0 && this.#worthWaiting()) {
            // A transaction runs through in promise callbacks, before the event loop reads further
            // requests: one turn of the loop lets the requests that already arrived reach the queue.
            await turn();
            this.#joiners = this.#queue.length > 0;
          }
          const job = this.#queue.shift();
          if (job === undefined) break;
          taken++;
          // A job that returned its result directly is settled without a trip through the
          // microtask queue (most emits of a busy group are; see #runOne).
          const kept = this.#runOne(trx, job);
          if (kept === true || (kept !== false && (await kept))) {
            done.push(job);
            for (const fn of job.work) work.add(fn);
          }
        }
        if (work.size > 0) groupCommitted = await runCommitWork(trx, work);
      });
    } catch (error) {
      // The commit (or a savepoint the database had already undone) failed: nothing of this group
      // is stored, so every transaction in it fails. When not even BEGIN succeeded, the waiting
      // ones would meet the same error: they fail too rather than retry in a loop.
      for (const job of done) job.reject(error);
      if (taken === 0) for (const job of this.#queue.splice(0)) job.reject(error);
      return;
    }
    // The group's own work first (it published what the transactions wrote together), then each
    // transaction's callbacks in the order they ran.
    runCallbacks(groupCommitted);
    for (const job of done) {
      runCallbacks(job.committed);
      job.resolve(job.value);
    }
  }

  /**
   * Runs one job in its savepoint: true when its work stays in the group. The savepoint opens just
   * before the job's first statement, so it holds all of them and nothing of the jobs before (they
   * released theirs; no other statement runs on the connection while the group holds it). A job
   * that ran no statement (an emit whose event rows are written by the group's batch) has nothing
   * to undo and costs no savepoint.
   */
  #runOne(trx: Transaction<Database>, job: Job): boolean | Promise<boolean> {
    const opened = this.#connection.execBeforeNext('savepoint grouped');
    let result: unknown;
    try {
      result = job.fn(trx, job);
    } catch (error) {
      return this.#failed(job, error, opened);
    }
    if (!isPromiseLike(result)) return this.#kept(job, result, opened);
    return Promise.resolve(result).then(
      (value) => this.#kept(job, value, opened),
      (error: unknown) => this.#failed(job, error, opened),
    );
  }

  #kept(job: Job, value: unknown, opened: () => boolean): true {
    job.value = value;
    if (opened()) this.#connection.exec('release grouped');
    return true;
  }

  #failed(job: Job, error: unknown, opened: () => boolean): false {
    job.reject(error);
    job.work = [];
    // Undo only this job's writes. When the database already undid the whole transaction (a rare
    // I/O or memory error), this throws and fails the group instead.
    if (opened()) {
      this.#connection.exec('rollback to grouped');
      this.#connection.exec('release grouped');
    }
    return false;
  }
}
