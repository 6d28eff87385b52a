/**
 * The per-principal request limit (1000 a minute by default): a fixed one-minute window per
 * principal key, a Map lookup and an increment on the hot path. Returns the seconds to wait when over.
 */
interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #now: () => number;
  readonly #windowMs = 60_000;

  constructor(limitPerMinute: number, now: () => number) {
    this.#limit = limitPerMinute;
    this.#now = now;
  }

  /** 0 when the request may go ahead, else seconds until the window resets. */
  take(key: string): number {
    if (this.#limit <= 0) return 0;
    const now = this.#now();
    let w = this.#windows.get(key);
    if (w === undefined || now - w.start >= this.#windowMs) {
      if (w === undefined && this.#windows.size > 100_000) this.#windows.clear();
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
    }
    w.count++;
    if (w.count <= this.#limit) return 0;
    return Math.max(1, Math.ceil((w.start + this.#windowMs - now) / 1000));
  }
}
