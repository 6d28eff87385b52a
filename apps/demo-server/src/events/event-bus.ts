import type { PublishedEvent } from './published-event.js';

export type EventListener = (events: readonly PublishedEvent[]) => void;

/**
 * In-process fan-out of committed events, by account. Listeners are called synchronously, in the
 * order events were committed; a listener that throws is reported and never stops the others.
 * Nothing here touches the database: the publisher (local after commit, or PostgreSQL
 * LISTEN/NOTIFY) decides when events are committed and calls {@link EventBus.deliver}.
 */
export class EventBus {
  readonly #byAccount = new Map<string, Set<EventListener>>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Starts delivering an account's events to `listener`; returns the function that stops it. */
  listen(accountId: string, listener: EventListener): () => void {
    let set = this.#byAccount.get(accountId);
    if (set === undefined) {
      set = new Set();
      this.#byAccount.set(accountId, set);
    }
    set.add(listener);
    return () => {
      const current = this.#byAccount.get(accountId);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) this.#byAccount.delete(accountId);
    };
  }

  /** Hands committed events of one account (ascending seq) to every listener of that account. */
  deliver(accountId: string, events: readonly PublishedEvent[]): void {
    const set = this.#byAccount.get(accountId);
    if (set === undefined || events.length === 0) return;
    for (const listener of set) {
      try {
        listener(events);
      } catch (error) {
        this.#onError(error);
      }
    }
  }

  listenerCount(accountId?: string): number {
    if (accountId !== undefined) return this.#byAccount.get(accountId)?.size ?? 0;
    let n = 0;
    for (const set of this.#byAccount.values()) n += set.size;
    return n;
  }
}
