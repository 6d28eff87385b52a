/**
 * The clock and timers the client uses, injectable so tests can drive time by hand. Deadlines are
 * kept as timestamps from `now()` and every timer callback re-reads the clock: browsers throttle
 * timers in background tabs, so a timer may fire late and must not assume how much time passed.
 */
export interface RealtimeTimers {
  /** The current time, epoch ms. */
  now(): number;
  /** Runs `callback` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer set with `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

export const defaultTimers: RealtimeTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One re-armable timer; `clear()` is safe to call any time. */
export class Timer {
  #handle: unknown;
  #armed = false;

  readonly #timers: RealtimeTimers;

  constructor(timers: RealtimeTimers) {
    this.#timers = timers;
  }

  get armed(): boolean {
    return this.#armed;
  }

  set(ms: number, callback: () => void): void {
    this.clear();
    this.#armed = true;
    this.#handle = this.#timers.setTimeout(
      () => {
        this.#armed = false;
        this.#handle = undefined;
        callback();
      },
      Math.max(0, ms),
    );
  }

  clear(): void {
    if (!this.#armed) return;
    this.#armed = false;
    this.#timers.clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}
