import { type EventPage, matchesAnyEventPattern } from '@callwire/types';
import type { Counters } from './counters.js';
import type { CatchUpLike, RawEvent, Subscription } from './subscription.js';

export interface CatchUpHost {
  /** One page of the account's events after `afterSeq` matching any of `types`, ascending. */
  fetchPage(
    accountId: string | undefined,
    types: readonly string[],
    afterSeq: number,
    signal: AbortSignal,
  ): Promise<EventPage>;
  /** Through the seq gate of `sub` into the dispatch queue; false for a duplicate. */
  accept(sub: Subscription, raw: RawEvent, fromSocket: boolean): boolean;
  /** Resolves when the dispatch queue has room for another page. */
  room(): Promise<void>;
  /** Part of the range is no longer retained anywhere. */
  lost(sub: Subscription, afterSeq: number, lastSeq: number, missing: { from: number; to: number }): void;
  /** Fetching failed (the caller reconnects, and the catch-up starts over from the cursors). */
  failed(error: unknown): void;
  counters: Counters;
}

/**
 * Fills the gap of one or more subscriptions of one account from `GET /rest/event`, in seq order,
 * while their live events are held; then releases the held events, merged in seq order.
 *
 * One subscription: the server could not replay its gap (`recovered: false`). Several: after a
 * reconnect they resubscribe live and their gaps are fetched here together (one request for all
 * their patterns), because the server replays each subscription's backlog on its own and their
 * events would otherwise interleave out of seq order. It starts once every subscription has its
 * server's answer (`answered`); the range ends at the newest `last_seq` among them.
 */
export class CatchUp implements CatchUpLike {
  readonly #host: CatchUpHost;
  readonly #subs: Subscription[];
  readonly #waiting: Set<Subscription>;
  readonly #abort = new AbortController();
  #held: { sub: Subscription; raw: RawEvent }[] = [];
  #lastSeq = 0;
  #started = false;

  constructor(subs: readonly Subscription[], host: CatchUpHost) {
    this.#host = host;
    this.#subs = [...subs];
    this.#waiting = new Set(subs);
    for (const sub of subs) sub.catchUp = this;
  }

  /** A live event of `sub` arrived while the gap before it is being filled: it waits. */
  hold(sub: Subscription, raw: RawEvent): void {
    this.#held.push({ sub, raw });
  }

  /** The server answered `sub`'s subscribe with its account's newest seq. */
  answered(sub: Subscription, lastSeq: number): void {
    if (lastSeq > this.#lastSeq) this.#lastSeq = lastSeq;
    this.#waiting.delete(sub);
    this.#maybeStart();
  }

  /** `sub` ended (or no longer takes part, after a history reset): the others go on without it. */
  leave(sub: Subscription): void {
    const index = this.#subs.indexOf(sub);
    if (index !== -1) this.#subs.splice(index, 1);
    if (sub.catchUp === this) sub.catchUp = undefined;
    this.#waiting.delete(sub);
    this.#maybeStart();
  }

  /** The socket is gone: stop, and drop what was held (the resubscribe brings it again). */
  cancel(): void {
    this.#abort.abort();
    this.#held = [];
    for (const sub of this.#subs) if (sub.catchUp === this) sub.catchUp = undefined;
  }

  #maybeStart(): void {
    if (this.#started || this.#waiting.size > 0 || this.#abort.signal.aborted) return;
    this.#started = true;
    void this.#run();
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    const subs = this.#subs.filter((s) => s.active);
    const lastSeq = this.#lastSeq;
    const from = new Map(subs.map((s) => [s, s.received ?? lastSeq] as const));
    let cursor = Math.min(lastSeq, ...from.values());
    try {
      const types = subs.some((s) => s.types.includes('*'))
        ? ['*']
        : [...new Set(subs.flatMap((s) => s.types))];
      const accountId = subs[0]?.serverAccount;
      let lostReported = false;
      while (subs.length > 0 && cursor < lastSeq) {
        await this.#host.room();
        if (signal.aborted) return;
        const page = await this.#host.fetchPage(accountId, types, cursor, signal);
        if (signal.aborted) return;
        if (!page.recovered && !lostReported) {
          lostReported = true;
          const to = Math.min(lastSeq, (page.oldest_seq ?? lastSeq + 1) - 1);
          for (const sub of subs) {
            const after = Math.max(cursor, from.get(sub)!);
            if (to > after) this.#host.lost(sub, from.get(sub)!, lastSeq, { from: after + 1, to });
          }
        }
        let last: number | undefined;
        for (const event of page.data) {
          last = event.seq;
          if (event.seq > lastSeq) break;
          this.#deliver(subs, event as RawEvent);
        }
        if (!page.has_more || last === undefined || last >= lastSeq) break;
        cursor = last;
      }
    } catch (error) {
      if (signal.aborted) return;
      this.cancel();
      this.#host.failed(error);
      return;
    }
    this.#finish(subs, lastSeq);
  }

  #deliver(subs: readonly Subscription[], raw: RawEvent): void {
    for (const sub of subs) {
      if (!sub.active || !matchesAnyEventPattern(raw.type, sub.types)) continue;
      if (this.#host.accept(sub, raw, false)) this.#host.counters.backfilled += 1;
    }
  }

  /** Everything up to lastSeq is delivered or gone; the held live events follow, in seq order. */
  #finish(subs: readonly Subscription[], lastSeq: number): void {
    for (const sub of subs) {
      if (sub.received === undefined || sub.received < lastSeq) sub.received = lastSeq;
      if (sub.catchUp === this) sub.catchUp = undefined;
    }
    const held = this.#held;
    this.#held = [];
    // A stable sort: one seq carried by two subscriptions keeps its order (the second is a duplicate).
    held.sort((a, b) => a.raw.seq - b.raw.seq);
    for (const { sub, raw } of held) if (sub.active) this.#host.accept(sub, raw, true);
  }
}
