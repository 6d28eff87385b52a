/** How long to wait between reconnects: full jitter between 0 and a ceiling that doubles up to `max`. */
export interface BackoffOptions {
  /**
   * First ceiling, ms (default 500).
   * @defaultValue 500
   */
  initial?: number;
  /**
   * Largest ceiling, ms (default 20 000).
   * @defaultValue 20 000
   */
  max?: number;
  /**
   * A connection that stayed up this long (ms) resets the backoff (default 5 000).
   * @defaultValue 5 000
   */
  stableAfter?: number;
  /**
   * Source of randomness in [0, 1); injectable for tests.
   * @defaultValue `Math.random`
   */
  random?: () => number;
}

/**
 * Full-jitter exponential backoff (as Centrifuge does, 0.5 s → 20 s): each delay is uniform in
 * [0, min(max, initial · 2^attempt)]. Full jitter spreads a thundering herd of clients that all
 * lost the same server; resetting only after a stable connection keeps a flapping server from
 * being hammered at the shortest delay.
 */
export class Backoff {
  readonly initial: number;
  readonly max: number;
  readonly stableAfter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initial = positive(options.initial ?? 500, 'backoff.initial');
    this.max = positive(options.max ?? 20_000, 'backoff.max');
    if (this.max < this.initial) throw new TypeError('backoff.max must be >= backoff.initial');
    this.stableAfter = positive(options.stableAfter ?? 5_000, 'backoff.stableAfter');
    this.#random = options.random ?? Math.random;
    if (typeof this.#random !== 'function') throw new TypeError('backoff.random must be a function');
  }

  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt; each call widens the window. */
  next(floor = 0): number {
    const ceiling = Math.min(this.max, this.initial * 2 ** Math.min(this.#attempt, 30));
    this.#attempt += 1;
    return Math.max(floor, Math.floor(this.#random() * ceiling));
  }

  reset(): void {
    this.#attempt = 0;
  }
}

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive number of milliseconds`);
  }
  return value;
}
