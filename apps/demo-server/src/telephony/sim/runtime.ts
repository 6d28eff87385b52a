import type { Clock } from './clock.js';
import { ManualClock } from './clock.js';

export interface SimRuntimeOptions {
  clock: Clock;
  /**
   * `--sim-speed N`: simulated delays run N times faster than real time.
   * @default 1
   */
  speed?: number;
  onError: (error: unknown) => void;
}

/**
 * The simulated network's time and its background work. A delay of `ms` simulated milliseconds
 * waits `ms / speed` on the clock. Everything the simulator starts in the background (the step
 * worker's runs, status callbacks) is tracked, so that {@link idle} resolves only when nothing is
 * still writing, and {@link close} waits for it before the database closes.
 */
export class SimRuntime {
  readonly clock: Clock;
  readonly speed: number;
  readonly #onError: (error: unknown) => void;
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(options: SimRuntimeOptions) {
    this.clock = options.clock;
    const speed = options.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error('sim speed must be a positive number');
    this.speed = speed;
    this.#onError = options.onError;
  }

  now(): number {
    return this.clock.now();
  }

  /** The server-clock time (whole ms) at which `simMs` simulated milliseconds after `fromMs` fall. */
  dueAt(simMs: number, fromMs: number = this.clock.now()): number {
    return Math.ceil(fromMs + simMs / this.speed);
  }

  /** Runs `task` now, in the background, tracked. */
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

  /** Resolves once no task is running (steps due later may still be waiting). */
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

  /** Test helper: runs every pending step, whatever its due time, until the simulation is quiet. */
  async runAll(): Promise<void> {
    await this.#manual().runAll(() => this.idle());
  }

  #manual(): ManualClock {
    if (!(this.clock instanceof ManualClock)) throw new Error('advance() needs a ManualClock');
    return this.clock;
  }

  /** Stops starting work and waits for what is running. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
