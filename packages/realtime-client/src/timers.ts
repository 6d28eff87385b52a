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

/** A part with a deadline: the alarm wakes it at `wakeAt` (epoch ms; Infinity for none). */
export interface Sleeper {
  readonly wakeAt: number;
  /** Called when `wakeAt` has passed; the part acts and moves its `wakeAt`. */
  wake(now: number): void;
}

/** Timers cannot wait longer than this (ms); a later deadline is re-checked when it fires. */
const MAX_TIMER = 2 ** 31 - 1;

/**
 * One timer for every deadline of a connection (retry, liveness, token renewal): armed for the
 * soonest `wakeAt` of its sleepers, and re-armed when a sleeper says its deadline moved. One timer
 * instead of one per part saves every idle client a timeout and its closures. When it fires it
 * re-reads the clock and wakes each sleeper whose deadline has passed, however late it fired.
 */
export class Alarm {
  readonly #timers: RealtimeTimers;
  readonly #sleepers: Sleeper[] = [];
  readonly #fire = (): void => this.#ring();
  #handle: unknown;
  /** When the timer is due, Infinity when none is set. */
  #armedFor = Number.POSITIVE_INFINITY;
  #ringing = false;

  constructor(timers: RealtimeTimers) {
    this.#timers = timers;
  }

  now(): number {
    return this.#timers.now();
  }

  add(sleeper: Sleeper): void {
    this.#sleepers.push(sleeper);
  }

  /** A sleeper's `wakeAt` changed: re-arm for the soonest deadline (no timer when there is none). */
  update(): void {
    if (this.#ringing) return; // re-armed once the ring is over
    let soonest = Number.POSITIVE_INFINITY;
    for (const sleeper of this.#sleepers) soonest = Math.min(soonest, sleeper.wakeAt);
    if (soonest === this.#armedFor) return;
    if (this.#handle !== undefined) this.#timers.clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#armedFor = soonest;
    if (soonest === Number.POSITIVE_INFINITY) return;
    const delay = Math.min(MAX_TIMER, Math.max(0, soonest - this.#timers.now()));
    this.#handle = this.#timers.setTimeout(this.#fire, delay);
  }

  #ring(): void {
    this.#handle = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    this.#ringing = true;
    try {
      for (const sleeper of this.#sleepers) {
        // Read each time: a sleeper woken before may have moved another's deadline.
        const now = this.#timers.now();
        if (sleeper.wakeAt <= now) sleeper.wake(now);
      }
    } finally {
      this.#ringing = false;
      this.update();
    }
  }
}
