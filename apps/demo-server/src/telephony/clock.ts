/**
 * The simulator's notion of time. Real servers use {@link SystemClock}; tests use
 * {@link ManualClock}, whose time only moves when the test says so, so that no test ever sleeps
 * and every run fires the same timers in the same order.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export class SystemClock implements Clock {
  readonly #timers = new Map<number, NodeJS.Timeout>();
  readonly #now: () => number;
  #next = 1;

  /** `now` lets the server's own clock (which may be offset in tests) stamp the simulator's events. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    const t = setTimeout(
      () => {
        this.#timers.delete(id);
        fn();
      },
      Math.max(0, ms),
    );
    // Simulated calls must not keep a stopping process alive.
    t.unref?.();
    this.#timers.set(id, t);
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    const t = this.#timers.get(handle.id);
    if (t !== undefined) clearTimeout(t);
    this.#timers.delete(handle.id);
  }
}

interface ManualTimer {
  id: number;
  due: number;
  fn: () => void;
}

/**
 * A clock that moves only through {@link advance}. Timers fire in due order (ties in creation
 * order); between two timers `settle` is awaited so that the work a timer started (database writes,
 * new timers) is finished before time moves on.
 */
export class ManualClock implements Clock {
  #now: number;
  #next = 1;
  #timers: ManualTimer[] = [];

  constructor(start: number | Date = Date.UTC(2026, 0, 15, 12, 0, 0)) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.#next++, due: this.#now + Math.max(0, ms), fn };
    this.#timers.push(timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle.id);
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number, settle: () => Promise<void> = flushMicrotasks): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const due = this.#earliest();
      if (due === undefined || due.due > target) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.due);
      due.fn();
      await settle();
    }
    this.#now = target;
  }

  /** Fires every timer, whatever its due time, until none is left (bounded, for runaway loops). */
  async runAll(settle: () => Promise<void> = flushMicrotasks, maxTimers = 1_000_000): Promise<void> {
    await settle();
    for (let fired = 0; fired < maxTimers; fired++) {
      const due = this.#earliest();
      if (due === undefined) return;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.due);
      due.fn();
      await settle();
    }
    throw new Error(`runAll: more than ${maxTimers} timers fired`);
  }

  #earliest(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.#timers) if (best === undefined || t.due < best.due) best = t;
    return best;
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
