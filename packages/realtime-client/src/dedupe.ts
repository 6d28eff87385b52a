import type { DedupeWindow, Subscription } from './subscription.js';

/** How many recent seqs of an account are remembered to drop an event a second subscription also carries. */
const DEDUPE_WINDOW = 10_000;

/*
 * Two subscriptions on one account with overlapping patterns both carry some events: those are
 * delivered once. The subscriptions of an account share one window of recently delivered seqs,
 * found through the other subscriptions rather than kept in a map: a client with one subscription
 * per account (most) keeps no window and no map at all.
 */

/** `sub` joins the window of the subscriptions in `others` with its account, when there are any. */
export function joinWindow(sub: Subscription, others: Iterable<Subscription>): void {
  for (const other of others) {
    if (other === sub || other.dedupeKey !== sub.dedupeKey) continue;
    other.window ??= { subs: 1, seen: undefined, order: undefined };
    sub.window = other.window;
    sub.window.subs += 1;
    return;
  }
}

/** `sub` ends: back to one subscription, its seq gate is enough and the window's memory goes. */
export function leaveWindow(sub: Subscription): void {
  const window = sub.window;
  sub.window = undefined;
  if (window === undefined) return;
  window.subs -= 1;
  if (window.subs <= 1) {
    window.seen = undefined;
    window.order = undefined;
  }
}

/** True when another subscription of the account already delivered `seq` (then it is dropped). */
export function seenBefore(window: DedupeWindow | undefined, seq: number): boolean {
  if (window === undefined || window.subs < 2) return false;
  // Made on first use: accounts whose subscriptions never overlap in time keep nothing.
  window.seen ??= new Set();
  window.order ??= [];
  const { seen, order } = window;
  if (seen.has(seq)) return true;
  seen.add(seq);
  order.push(seq);
  if (order.length > DEDUPE_WINDOW) seen.delete(order.shift()!);
  return false;
}
