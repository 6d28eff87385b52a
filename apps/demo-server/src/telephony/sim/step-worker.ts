import { randomUUID } from 'node:crypto';
import { ManualClock, type TimerHandle } from './clock.js';
import { transactionGroups } from './step-groups.js';
import type { HandleOptions, StepHandler } from './step-handler.js';
import type { KindFilter, Step, StepHolder } from './step-store.js';
import type { StepWorkerOptions } from './step-worker-options.js';

/** Steps by where they run (see {@link StepWorker.#place}). */
interface Placed {
  lanes: Step[];
  outbound: Step[];
  /** Outbound steps beyond the pool's free slots. */
  beyond: Step[];
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
  /**
   * Kinds that are claimed even with {@link StepWorkerOptions.takeInTransaction}: outbound, or with
   * work outside the transaction (`prepare`).
   */
  readonly #claimed: string[] = [];
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
      takeInTransaction: false,
      ...options,
    };
  }

  /** Registers what steps of `kind` do. */
  handle<X>(kind: string, handler: StepHandler<X>, options: HandleOptions = {}): void {
    if (this.#handlers.has(kind)) throw new Error(`step kind ${kind} is handled twice`);
    this.#handlers.set(kind, handler as StepHandler<unknown>);
    if (options.outbound === true) this.#outbound.push(kind);
    if (options.outbound === true || handler.prepare !== undefined) this.#claimed.push(kind);
    if (options.groupable === true) this.#groupable.add(kind);
  }

  async start(): Promise<void> {
    if (this.#running) return;
    // The only instance (see takeInTransaction): a claim still in the database is that of a
    // process that died. Given back at once, each such step runs now rather than once its claim
    // lapses, and a step that needs no claim is never held by one.
    if (this.#o.takeInTransaction) await this.#o.store.release(undefined);
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
        do {
          let claimed = 0;
          do {
            this.#again = false;
            // Until a claim comes back empty: the steps just run may have made others claimable
            // (the next step of the same call, due at once).
            claimed = await this.#claimAndRun();
          } while (this.#running && (claimed > 0 || this.#again));
          if (this.#running) await this.#armNext();
          // A step due now may have been planned while the next wake-up was looked up: its nudge
          // only marked this drain to go again, and the lookup may not have seen it (or, on a
          // manual clock, arms no timer for a step already due). So claim once more.
        } while (this.#running && this.#again);
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

  /** Runs one batch of due steps; returns how many it took or claimed. */
  async #claimAndRun(): Promise<number> {
    if (this.#o.takeInTransaction) return this.#takeAndRun();
    const { store, runtime, leaseMs, batch } = this.#o;
    const now = runtime.now();
    const claimed = await store.claim(
      this.owner,
      now,
      now + leaseMs,
      batch,
      this.#poolFull() ? this.#laneKinds() : undefined,
    );
    const placed = this.#place(claimed);
    if (placed.beyond.length > 0)
      await store.releaseSome(
        placed.beyond.map((s) => s.id),
        this.owner,
      );
    await this.#runClaimed(placed);
    return claimed.length;
  }

  /**
   * One batch of due steps in one transaction (see {@link StepWorkerOptions.takeInTransaction}):
   * the steps that need no claim are deleted and run in it, the others are claimed in it and run
   * after it like any claim; returns how many steps it picked. If a step fails, the transaction
   * rolls back (steps and claims are as they were) and each step runs again in its own, so one
   * failing step costs the others nothing but time.
   */
  async #takeAndRun(): Promise<number> {
    const { store, transactions, runtime, batch, leaseMs } = this.#o;
    let picked: Step[] = [];
    let taken: Step[] = [];
    let placed: Placed = { lanes: [], outbound: [], beyond: [] };
    let committed: (() => void)[] = [];
    try {
      await transactions.transaction(async (trx, emit, schedule) => {
        taken = [];
        committed = [];
        const now = runtime.now();
        picked = await store.pickDue(trx, now, batch, this.#poolFull() ? this.#laneKinds() : undefined);
        const toClaim: Step[] = [];
        for (const step of picked) (this.#claimed.includes(step.kind) ? toClaim : taken).push(step);
        // An outbound step beyond the pool's free slots stays as it is, for a later round.
        placed = this.#place(toClaim);
        const claimed = [...placed.lanes, ...placed.outbound];
        if (taken.length > 0) {
          const held = await store.takeAll(
            trx,
            taken.map((s) => s.id),
            null,
          );
          taken = taken.filter((s) => held.has(s.id));
        }
        if (claimed.length > 0)
          await store.claimSome(
            trx,
            claimed.map((s) => s.id),
            this.owner,
            now + leaseMs,
          );
        const afterCommit = (fn: () => void) => committed.push(fn);
        for (const step of taken)
          await this.#handler(step).run({ trx, emit, schedule, step, prepared: undefined, afterCommit });
      });
    } catch (error) {
      // Nothing was run: the database failed, and the drain reports it.
      if (taken.length === 0) throw error;
      for (const step of taken) await this.#run(step, null);
      return picked.length;
    }
    for (const fn of committed) fn();
    const now = runtime.now();
    for (const step of taken) this.#o.onRan?.(now - step.dueMs);
    await this.#runClaimed(placed);
    return picked.length;
  }

  /** Whether every slot of the outbound pool is taken (then outbound steps are left for later). */
  #poolFull(): boolean {
    return this.#outbound.length > 0 && this.#pool.size >= this.#o.outboundSlots;
  }

  /**
   * Where steps would run: the lanes, or (outbound ones) the pool's free slots; the outbound steps
   * beyond those slots are not run now.
   */
  #place(steps: readonly Step[]): Placed {
    let free = this.#o.outboundSlots - this.#pool.size;
    const placed: Placed = { lanes: [], outbound: [], beyond: [] };
    for (const step of steps) {
      if (!this.#outbound.includes(step.kind)) placed.lanes.push(step);
      else if (free-- > 0) placed.outbound.push(step);
      else placed.beyond.push(step);
    }
    return placed;
  }

  /** Runs claimed steps: outbound ones started in the pool (not waited for), the others in the lanes. */
  async #runClaimed({ lanes, outbound }: Placed): Promise<void> {
    for (const step of outbound) this.#startOutbound(step);
    if (lanes.length === 0) return;
    const { store, concurrency, perTransaction } = this.#o;
    const groups = transactionGroups(
      lanes,
      perTransaction,
      this.#o.lockSafeGroups ? this.#groupable : undefined,
    );
    let next = 0;
    const lane = async () => {
      for (;;) {
        if (!this.#running) return;
        const group = groups[next++];
        if (group === undefined) return;
        if (group.length === 1) await this.#run(group[0] as Step, this.owner);
        else await this.#runGroup(group);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, lane));
    // Stopped mid-batch: the steps not started go back to whoever claims next.
    if (!this.#running && next < groups.length) await store.release(this.owner);
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
      await this.#run(step, this.owner);
    } finally {
      clearInterval(renew);
    }
  }

  async #armNext(): Promise<void> {
    const { store, runtime, pollMs, coalesceMs } = this.#o;
    const now = runtime.now();
    // A full pool is woken by its steps finishing: until then only the lanes' steps count.
    const next = await store.nextDue(now, this.#poolFull() ? this.#laneKinds() : undefined);
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
      for (const step of steps) await this.#run(step, this.owner);
    }
  }

  #handler(step: Step): StepHandler<unknown> {
    const handler = this.#handlers.get(step.kind);
    if (handler === undefined) throw new Error(`no handler for step kind ${step.kind}`);
    return handler;
  }

  /** Runs one step held by `holder`: this worker's claim, or none (see {@link StepStore.pickDue}). */
  async #run(step: Step, holder: StepHolder): Promise<void> {
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
        if (!(await store.take(trx, step.id, holder))) return;
        ran = true;
        const afterCommit = (fn: () => void) => committed.push(fn);
        await handler.run({ trx, emit, schedule, step, prepared, afterCommit });
      });
      for (const fn of committed) fn();
      if (ran) this.#o.onRan?.(runtime.now() - step.dueMs);
    } catch (error) {
      if (!this.#running) {
        // Interrupted by shutdown: released as it was, for whichever instance claims next.
        if (holder !== null) await store.releaseSome([step.id], holder).catch(() => undefined);
        return;
      }
      this.#o.logError(error, `step ${step.kind} for ${step.target} failed`);
      if (step.attempt + 1 >= MAX_ATTEMPTS) await store.drop(step.id, holder).catch(() => undefined);
      else {
        const retryAt = runtime.now() + RETRY_BASE_MS * 2 ** step.attempt;
        await store.retry(step.id, holder, retryAt).catch(() => undefined);
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
