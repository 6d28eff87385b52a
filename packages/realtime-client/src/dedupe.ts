import type { DedupeWindow, Subscription } from './subscription.js';

/** How many recent seqs of an account are remembered to drop an event a second subscription also carries. */
const DEDUPE_WINDOW = 10_000;

/**
 * Two subscriptions on one account with overlapping patterns both carry some events: those are
 * delivered once. Each account with more than one subscription keeps a window of recently delivered
 * seqs; an account with one subscription keeps nothing (its seq gate is enough).
 */
export class DedupeWindows {
  readonly #windows = new Map<string, DedupeWindow>();

  join(sub: Subscription): void {
    let window = this.#windows.get(sub.dedupeKey);
    if (window === undefined) {
      window = { subs: 0, seen: undefined, order: undefined };
      this.#windows.set(sub.dedupeKey, window);
    }
    window.subs += 1;
    sub.window = window;
  }

  leave(sub: Subscription): void {
    const window = sub.window;
    sub.window = undefined;
    if (window === undefined) return;
    window.subs -= 1;
    if (window.subs <= 0) this.#windows.delete(sub.dedupeKey);
    else if (window.subs === 1) {
      // Back to one subscription: its seq gate is enough, the window's memory goes.
      window.seen = undefined;
      window.order = undefined;
    }
  }

  /** True when another subscription of the account already delivered `seq` (then it is dropped). */
  static seenBefore(window: DedupeWindow | undefined, seq: number): boolean {
    if (window === undefined || window.subs < 2) return false;
    // Made on first use, not in join(): most accounts never have a second subscription.
    window.seen ??= new Set();
    window.order ??= [];
    const { seen, order } = window;
    if (seen.has(seq)) return true;
    seen.add(seq);
    order.push(seq);
    if (order.length > DEDUPE_WINDOW) seen.delete(order.shift()!);
    return false;
  }

  clear(): void {
    this.#windows.clear();
  }
}
