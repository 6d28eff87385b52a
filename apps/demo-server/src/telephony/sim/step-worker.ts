import { randomUUID } from 'node:crypto';
import type { Emit, TelephonyDb } from '../deps.js';
import { ManualClock, type TimerHandle } from './clock.js';
import type { SimRuntime } from './runtime.js';
import type { Schedule, SimTransactions } from './sim-transaction.js';
import { transactionGroups } from './step-groups.js';
import type { KindFilter, Step, StepStore } from './step-store.js';

/** What a step's run gets: its transaction, the event emitter and the planner of next steps. */
export interface StepRun<X = undefined> {
  trx: TelephonyDb;
  emit: Emit;
  schedule: Schedule;
  step: Step;
  /** What {@link StepHandler.prepare} returned. */
  prepared: X;
  /** Runs `fn` once the transaction committed (never if it rolled back): posts to the outside. */
  afterCommit: (fn: () => void) => void;
}

/** What one kind of step does. */
export interface StepHandler<X = undefined> {
  /**
   * Work outside the transaction, before it: waiting on the outside world (a call-flow URL, a
   * webhook receiver). The claim is kept meanwhile; if the instance dies here, another one
   * prepares the step again. `signal` aborts when the worker stops and its grace time is over:
   * the step is then released, not counted as failed.
   */
  prepare?(step: Step, extendLease: (ms: number) => Promise<void>, signal: AbortSignal): Promise<X>;
  /** The effect: writes, events and the next steps, all in one transaction. */
  run(run: StepRun<X>): Promise<void>;
}

/** How the worker runs one kind of step. */
export interface HandleOptions {
  /**
   * The step mostly waits on a receiver outside (a webhook delivery): it runs in the worker's pool
   * of `outboundSlots`, apart from the simulated network's lanes, so a slow receiver holds one
   * slot and never the simulated network's steps. Its claim is renewed while it waits.
   * @default false
   */
  outbound?: boolean;
  /**
   * The step's run locks only rows of its own target and then its account's event counter (an SMS
   * moving on). With {@link StepWorkerOptions.lockSafeGroups}, only such steps share transactions.
   * @default false
   */
  groupable?: boolean;
}

export interface StepWorkerOptions {
  store: StepStore;
  transactions: SimTransactions;
  runtime: SimRuntime;
  /**
   * How long a claim lasts (server-clock ms). A step whose instance died is taken over when it
   * lapses; a live instance finishes a step in far less.
   * @default 2000
   */
  leaseMs?: number;
  /**
   * Steps claimed at once.
   * @default 32
   */
  batch?: number;
  /**
   * Steps of one claim run at once (different targets). On SQLite transactions run one at a time
   * anyway.
   * @default 4
   */
  concurrency?: number;
  /**
   * Steps of one claim run in one transaction (SQLite, where transactions run one at a time
   * anyway: one commit for many steps). With PostgreSQL only steps whose locks keep one order
   * share one (see {@link lockSafeGroups}), so that transactions never wait on each other's locks
   * in different orders.
   * @default 1
   */
  perTransaction?: number;
  /**
   * Where transactions run side by side (PostgreSQL), a transaction of several steps could lock
   * rows in an order no other transaction expects (the account's counter for one step, then the
   * account's balance for the next, while a send holds the balance and waits for the counter). With
   * this set, only {@link HandleOptions.groupable} steps of one account share a transaction: each
   * locks its own target's rows and the one counter, which is what concurrent sends lock last.
   * Other steps run one per transaction.
   * @default false
   */
  lockSafeGroups?: boolean;
  /**
   * With a real clock, the least time between two claims when nothing is overdue (ms): steps due
   * within this window run together, one claim and one commit for all of them, rather than one
   * each as they fall due.
   * @default 10
   */
  coalesceMs?: number;
  /**
   * Longest sleep with a real clock, in case a notification from another instance was missed.
   * @default 1000
   */
  pollMs?: number;
  /**
   * Outbound steps (see {@link HandleOptions.outbound}) running at once.
   * @default 8
   */
  outboundSlots?: number;
  /**
   * On shutdown, how long outbound steps under way may still finish (real ms) before they are
   * aborted and released for the next instance.
   * @default 1000
   */
  graceMs?: number;
  logError: (error: unknown, message: string) => void;
  /** Called after each step ran, with how late it ran (server-clock ms after its due time). @default none */
  onRan?: (lateMs: number) => void;
}

/** Retries of a step whose run failed (a bug or a lost connection), then it is dropped and logged. */
const MAX_ATTEMPTS = 5;
const RETRY_BASE_MS = 500;

/**
 * One per instance: claims due steps and runs each in a transaction with its effect and the steps
 * it plans next. One timer, for the earliest step it knows of; steps planned on this instance wake
 * it directly, steps planned on other instances through their notification. The simulated
 * network's steps run in lanes; outbound steps (webhook deliveries) in a bounded pool beside them.
 * On shutdown it stops claiming, finishes the steps in hand and releases the claims it did not start.
 */
export class StepWorker {
  readonly owner = randomUUID();
  readonly #o: Required<Omit<StepWorkerOptions, 'onRan'>> & Pick<StepWorkerOptions, 'onRan'>;
  readonly #handlers = new Map<string, StepHandler<unknown>>();
  /** Kinds run in the outbound pool. */
  readonly #outbound: string[] = [];
  /** Kinds whose steps may share a transaction under `lockSafeGroups`. */
  readonly #groupable = new Set<string>();
  /** Outbound steps under way. */
  readonly #pool = new Set<Promise<void>>();
  /** Aborts outbound work when shutdown's grace time is over. */
  #abort = new AbortController();
  #timer: TimerHandle | undefined;
  #timerDue = Number.POSITIVE_INFINITY;
  #draining: Promise<void> | undefined;
  #again = false;
  #running = false;

  constructor(options: StepWorkerOptions) {
    this.#o = {
      leaseMs: 2000,
      batch: 32,
      concurrency: 4,
      perTransaction: 1,
      lockSafeGroups: false,
      coalesceMs: 10,
      pollMs: 1000,
      outboundSlots: 8,
      graceMs: 1000,
      ...options,
    };
  }

  /** Registers what steps of `kind` do. */
  handle<X>(kind: string, handler: StepHandler<X>, options: HandleOptions = {}): void {
    if (this.#handlers.has(kind)) throw new Error(`step kind ${kind} is handled twice`);
    this.#handlers.set(kind, handler as StepHandler<unknown>);
    if (options.outbound === true) this.#outbound.push(kind);
    if (options.groupable === true) this.#groupable.add(kind);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    this.nudge(this.#o.runtime.now());
  }

  /** A step was planned for `dueMs` (here or on another instance). */
  nudge(dueMs: number): void {
    if (!this.#running) return;
    const now = this.#o.runtime.now();
    if (this.#draining !== undefined) {
      if (dueMs <= now) this.#again = true;
      else this.#arm(dueMs);
      return;
    }
    if (dueMs <= now) this.#drain();
    else this.#arm(dueMs);
  }

  #arm(dueMs: number): void {
    if (!this.#running || dueMs >= this.#timerDue) return;
    const clock = this.#o.runtime.clock;
    if (this.#timer !== undefined) clock.clearTimer(this.#timer);
    this.#timerDue = dueMs;
    this.#timer = clock.setTimer(
      () => {
        this.#timer = undefined;
        this.#timerDue = Number.POSITIVE_INFINITY;
        this.nudge(this.#o.runtime.now());
      },
      Math.max(0, dueMs - clock.now()),
    );
  }

  #drain(): void {
    let done!: () => void;
    this.#draining = new Promise<void>((resolve) => (done = resolve));
    this.#o.runtime.run(async () => {
      try {
        let claimed = 0;
        do {
          this.#again = false;
          // Until a claim comes back empty: the steps just run may have made others claimable
          // (the next step of the same call, due at once).
          claimed = await this.#claimAndRun();
        } while (this.#running && (claimed > 0 || this.#again));
        if (this.#running) await this.#armNext();
      } catch (error) {
        this.#o.logError(error, 'the simulated network could not claim its steps');
        // The database is unreachable for now: try again shortly (real clocks only).
        if (this.#running && !(this.#o.runtime.clock instanceof ManualClock))
          this.#arm(this.#o.runtime.now() + this.#o.pollMs);
      } finally {
        this.#draining = undefined;
        done();
      }
    });
  }

  /**
   * Claims one batch of due steps and runs them; returns how many it claimed. Outbound steps in the
   * batch go to the pool's free slots (started, not waited for); those beyond them are given back
   * at once. A full pool claims none: it is woken by its steps finishing.
   */
  async #claimAndRun(): Promise<number> {
    const { store, runtime, leaseMs, batch, concurrency, perTransaction, outboundSlots } = this.#o;
    const now = runtime.now();
    let free = this.#outbound.length === 0 ? 0 : outboundSlots - this.#pool.size;
    const claimed = await store.claim(
      this.owner,
      now,
      now + leaseMs,
      batch,
      this.#outbound.length > 0 && free <= 0 ? this.#laneKinds() : undefined,
    );
    if (claimed.length === 0) return 0;
    const steps: Step[] = [];
    const giveBack: number[] = [];
    for (const step of claimed) {
      if (!this.#outbound.includes(step.kind)) steps.push(step);
      else if (free-- > 0) this.#startOutbound(step);
      else giveBack.push(step.id);
    }
    if (giveBack.length > 0) await store.releaseSome(giveBack, this.owner);
    const groups = transactionGroups(
      steps,
      perTransaction,
      this.#o.lockSafeGroups ? this.#groupable : undefined,
    );
    let next = 0;
    const lane = async () => {
      for (;;) {
        if (!this.#running) return;
        const group = groups[next++];
        if (group === undefined) return;
        if (group.length === 1) await this.#run(group[0] as Step);
        else await this.#runGroup(group);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, lane));
    // Stopped mid-batch: the steps not started go back to whoever claims next.
    if (!this.#running && next < groups.length) await store.release(this.owner);
    return claimed.length;
  }

  /** The kinds the lanes claim: all but the outbound ones. */
  #laneKinds(): KindFilter | undefined {
    return this.#outbound.length === 0 ? undefined : { except: this.#outbound };
  }

  /** Starts an outbound step in the pool without waiting; its end wakes the worker to refill the slot. */
  #startOutbound(step: Step): void {
    const { runtime } = this.#o;
    const running: Promise<void> = this.#runOutbound(step).finally(() => {
      this.#pool.delete(running);
      this.nudge(runtime.now());
    });
    this.#pool.add(running);
    // Tracked, so that the runtime's idle() and close() wait for it too.
    runtime.run(() => running);
  }

  /**
   * Runs an outbound step, renewing its claim every half lease meanwhile (real time: the wait is
   * on a receiver, not on simulated time). Should this instance stall longer than a lease, another
   * one may take the step and send it again: outbound steps are at least once.
   */
  async #runOutbound(step: Step): Promise<void> {
    const { store, runtime, leaseMs, logError } = this.#o;
    const renew = setInterval(() => {
      store
        .extend(step.id, this.owner, runtime.now() + leaseMs)
        .catch((error: unknown) => logError(error, `could not renew the claim of step ${step.kind}`));
    }, leaseMs / 2);
    renew.unref?.();
    try {
      await this.#run(step);
    } finally {
      clearInterval(renew);
    }
  }

  async #armNext(): Promise<void> {
    const { store, runtime, pollMs, coalesceMs, outboundSlots } = this.#o;
    const now = runtime.now();
    // A full pool is woken by its steps finishing: until then only the lanes' steps count.
    const poolFull = this.#pool.size >= outboundSlots;
    const next = await store.nextDue(now, poolFull ? this.#laneKinds() : undefined);
    if (runtime.clock instanceof ManualClock) {
      if (next !== undefined && next > now) this.#arm(next);
      return;
    }
    // A due step that could not be claimed is another instance's (or waits behind an earlier step
    // of its target): look again shortly rather than spinning.
    const at = next === undefined ? now + pollMs : next <= now ? now + 25 : Math.min(next, now + pollMs);
    this.#arm(Math.max(at, now + coalesceMs));
  }

  /**
   * Several steps (of different targets) in one transaction. If any of them fails, the whole
   * transaction rolls back and each step runs again on its own, so one failing step costs the
   * others nothing but time.
   */
  async #runGroup(steps: readonly Step[]): Promise<void> {
    const { store, transactions, runtime, leaseMs } = this.#o;
    try {
      const prepared = new Map<number, unknown>();
      for (const step of steps) {
        const handler = this.#handler(step);
        if (handler.prepare !== undefined) {
          const extend = (ms: number) => store.extend(step.id, this.owner, runtime.now() + ms + leaseMs);
          prepared.set(step.id, await handler.prepare(step, extend, this.#abort.signal));
        }
      }
      let ran: Step[] = [];
      let committed: (() => void)[] = [];
      await transactions.transaction(async (trx, emit, schedule) => {
        ran = [];
        committed = [];
        const held = await store.takeAll(
          trx,
          steps.map((s) => s.id),
          this.owner,
        );
        const afterCommit = (fn: () => void) => committed.push(fn);
        for (const step of steps) {
          if (!held.has(step.id)) continue;
          ran.push(step);
          await this.#handler(step).run({
            trx,
            emit,
            schedule,
            step,
            prepared: prepared.get(step.id),
            afterCommit,
          });
        }
      });
      for (const fn of committed) fn();
      const now = runtime.now();
      for (const step of ran) this.#o.onRan?.(now - step.dueMs);
    } catch {
      for (const step of steps) await this.#run(step);
    }
  }

  #handler(step: Step): StepHandler<unknown> {
    const handler = this.#handlers.get(step.kind);
    if (handler === undefined) throw new Error(`no handler for step kind ${step.kind}`);
    return handler;
  }

  async #run(step: Step): Promise<void> {
    const { store, transactions, runtime, leaseMs } = this.#o;
    try {
      const handler = this.#handler(step);
      const prepared = await handler.prepare?.(
        step,
        (ms) => store.extend(step.id, this.owner, runtime.now() + ms + leaseMs),
        this.#abort.signal,
      );
      let ran = false;
      let committed: (() => void)[] = [];
      await transactions.transaction(async (trx, emit, schedule) => {
        committed = [];
        // Deleting the step in the transaction of its effect: both commit, or neither does.
        if (!(await store.take(trx, step.id, this.owner))) return;
        ran = true;
        const afterCommit = (fn: () => void) => committed.push(fn);
        await handler.run({ trx, emit, schedule, step, prepared, afterCommit });
      });
      for (const fn of committed) fn();
      if (ran) this.#o.onRan?.(runtime.now() - step.dueMs);
    } catch (error) {
      if (!this.#running) {
        // Interrupted by shutdown: released as it was, for whichever instance claims next.
        await store.releaseSome([step.id], this.owner).catch(() => undefined);
        return;
      }
      this.#o.logError(error, `step ${step.kind} for ${step.target} failed`);
      if (step.attempt + 1 >= MAX_ATTEMPTS) await store.drop(step.id, this.owner).catch(() => undefined);
      else {
        const retryAt = runtime.now() + RETRY_BASE_MS * 2 ** step.attempt;
        await store.retry(step.id, this.owner, retryAt).catch(() => undefined);
      }
    }
  }

  /**
   * Stops claiming, finishes the steps in hand and releases the rest. Outbound steps under way get
   * `graceMs` to finish; then they are aborted and released, not counted.
   */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) this.#o.runtime.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#timerDue = Number.POSITIVE_INFINITY;
    await this.#draining;
    if (this.#pool.size === 0) return;
    const abort = setTimeout(() => this.#abort.abort(new Error('shutdown')), this.#o.graceMs);
    await Promise.allSettled([...this.#pool]);
    clearTimeout(abort);
  }
}
