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
 * new timers) is finished before time moves on. Timers sit in a binary heap with lazy removal, so
 * a simulation with tens of thousands of pending steps stays fast.
 */
export class ManualClock implements Clock {
  #now: number;
  #next = 1;
  readonly #heap: ManualTimer[] = [];
  readonly #live = new Set<number>();

  constructor(start: number | Date = Date.UTC(2026, 0, 15, 12, 0, 0)) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.#next++, due: this.#now + Math.max(0, ms), fn };
    this.#live.add(timer.id);
    this.#push(timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#live.delete(handle.id);
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.#live.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number, settle: () => Promise<void> = flushMicrotasks): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const due = this.#peek();
      if (due === undefined || due.due > target) break;
      this.#fire(due);
      await settle();
    }
    this.#now = target;
  }

  /** Fires every timer, whatever its due time, until none is left (bounded, for runaway loops). */
  async runAll(settle: () => Promise<void> = flushMicrotasks, maxTimers = 1_000_000): Promise<void> {
    await settle();
    for (let fired = 0; fired < maxTimers; fired++) {
      const due = this.#peek();
      if (due === undefined) return;
      this.#fire(due);
      await settle();
    }
    throw new Error(`runAll: more than ${maxTimers} timers fired`);
  }

  #fire(timer: ManualTimer): void {
    this.#pop();
    this.#live.delete(timer.id);
    this.#now = Math.max(this.#now, timer.due);
    timer.fn();
  }

  /** The earliest live timer (cleared ones are dropped on the way). */
  #peek(): ManualTimer | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || this.#live.has(top.id)) return top;
      this.#pop();
    }
  }

  static #before(a: ManualTimer, b: ManualTimer): boolean {
    return a.due < b.due || (a.due === b.due && a.id < b.id);
  }

  #push(timer: ManualTimer): void {
    const h = this.#heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!ManualClock.#before(h[i] as ManualTimer, h[parent] as ManualTimer)) break;
      [h[i], h[parent]] = [h[parent] as ManualTimer, h[i] as ManualTimer];
      i = parent;
    }
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop();
    if (last === undefined || h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && ManualClock.#before(h[l] as ManualTimer, h[m] as ManualTimer)) m = l;
      if (r < h.length && ManualClock.#before(h[r] as ManualTimer, h[m] as ManualTimer)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as ManualTimer, h[i] as ManualTimer];
      i = m;
    }
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
