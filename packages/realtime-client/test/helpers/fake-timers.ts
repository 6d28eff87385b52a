import type { RealtimeTimers } from '../../src/timers.js';

/** A hand-driven clock; `active` counts timers set and not yet fired or cleared. */
export class FakeTimers implements RealtimeTimers {
  #now = Date.now();
  #seq = 0;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  get active(): number {
    return this.#timers.size;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /**
   * A throttled background tab: time jumps by `ms` first, and only then do the timers that fell due
   * fire (late, each seeing the new time), once.
   */
  advanceLate(ms: number): void {
    this.#now += ms;
    const due = [...this.#timers].filter(([, t]) => t.at <= this.#now);
    for (const [id, timer] of due) {
      if (!this.#timers.delete(id)) continue;
      timer.callback();
    }
  }

  /** Moves time forward, firing due timers in order (including ones they set). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers)
        if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].callback();
    }
    this.#now = end;
  }
}
