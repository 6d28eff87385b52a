import type { Clock, TimerHandle } from './clock.js';
import { ManualClock } from './clock.js';

export interface SchedulerOptions {
  clock: Clock;
  /** `--sim-speed N`: simulated delays run N times faster than real time (default 1). */
  speed?: number;
  onError: (error: unknown) => void;
}

/**
 * Runs the simulated network's steps after simulated delays. A delay of `ms` simulated
 * milliseconds waits `ms / speed` on the clock. Every task's promise is tracked, so that
 * {@link idle} resolves only when no started step is still writing, and {@link close} stops the
 * simulator cleanly before the database closes.
 */
export class Scheduler {
  readonly clock: Clock;
  readonly speed: number;
  readonly #onError: (error: unknown) => void;
  readonly #timers = new Set<TimerHandle>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(options: SchedulerOptions) {
    this.clock = options.clock;
    const speed = options.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error('sim speed must be a positive number');
    this.speed = speed;
    this.#onError = options.onError;
  }

  now(): number {
    return this.clock.now();
  }

  /** Runs `task` after `simMs` simulated milliseconds. */
  after(simMs: number, task: () => Promise<void> | void): TimerHandle | undefined {
    if (this.#closed) return undefined;
    const handle = this.clock.setTimer(() => {
      this.#timers.delete(handle);
      this.run(task);
    }, simMs / this.speed);
    this.#timers.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    this.clock.clearTimer(handle);
    this.#timers.delete(handle);
  }

  /** Runs `task` now, in the background, tracked like a timed one. */
  run(task: () => Promise<void> | void): void {
    if (this.#closed) return;
    const p = (async () => {
      try {
        await task();
      } catch (error) {
        if (!this.#closed) this.#onError(error);
      }
    })();
    this.#running.add(p);
    void p.finally(() => this.#running.delete(p));
  }

  /** Resolves once no task is running (timers may still be waiting). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
    // Let continuations scheduled by the finished tasks run too.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.#running.size > 0) await this.idle();
  }

  /** Test helper: moves a {@link ManualClock} forward, finishing each step before the next. */
  async advance(simMs: number): Promise<void> {
    const clock = this.#manual();
    await clock.advance(simMs / this.speed, () => this.idle());
  }

  /** Test helper: fires every waiting timer until the simulation is quiet. */
  async runAll(): Promise<void> {
    await this.#manual().runAll(() => this.idle());
  }

  #manual(): ManualClock {
    if (!(this.clock instanceof ManualClock)) throw new Error('advance() needs a ManualClock');
    return this.clock;
  }

  /** Stops firing timers and waits for running steps. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) this.clock.clearTimer(t);
    this.#timers.clear();
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
