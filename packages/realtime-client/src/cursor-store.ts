/**
 * Where subscription cursors (the last seq a handler finished with) are kept, so a restarted
 * process resumes where it stopped. Keys are stable strings (see `SubscribeOptions.key`); values
 * are seqs. Both methods may be sync or async; a failing store is logged and never stops events.
 */
export interface CursorStore {
  /** The cursor stored under `key`, if any. */
  get(key: string): number | undefined | Promise<number | undefined>;
  /** Stores the cursor `seq` under `key`. */
  set(key: string, seq: number): void | Promise<void>;
}

/**
 * The default: cursors live as long as the client's process. `initial` seeds it.
 *
 * @example
 * ```ts
 * import { createMemoryCursorStore, createRealtimeClient } from '@callwire/realtime-client';
 *
 * const cursorStore = createMemoryCursorStore();
 * const client = createRealtimeClient({ url, auth, cursorStore });
 * // …later: where every subscription stands
 * console.log(cursorStore.snapshot());
 * ```
 */
export function createMemoryCursorStore(initial?: Record<string, number>): CursorStore & {
  /** Every cursor, by key. */
  snapshot(): Record<string, number>;
} {
  const store = new MemoryCursorStore(initial);
  // Functions that work without `this`, as users may pass `store.get` around.
  return {
    get: (key) => store.get(key),
    set: (key, seq) => store.set(key, seq),
    snapshot: () => store.snapshot(),
  };
}

/**
 * The in-memory store. The client's default is one of these directly: methods on a prototype cost
 * an idle client nothing, where the factory's functions cost three closures.
 */
export class MemoryCursorStore implements CursorStore {
  readonly #map: Map<string, number>;

  constructor(initial?: Record<string, number>) {
    this.#map = new Map(Object.entries(initial ?? {}));
  }

  get(key: string): number | undefined {
    return this.#map.get(key);
  }

  set(key: string, seq: number): void {
    this.#map.set(key, seq);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#map);
  }
}

/**
 * A store over any `Storage` (browser `localStorage`, or anything with getItem/setItem), so a page
 * reload resumes too. Values are written as decimal strings under `prefix + key`.
 *
 * @example
 * ```ts
 * import { createRealtimeClient, createStorageCursorStore } from '@callwire/realtime-client';
 *
 * const client = createRealtimeClient({ url, auth, cursorStore: createStorageCursorStore(localStorage) });
 * client.subscribe(['call.*'], { key: 'crm-sync' }); // resumes after the stored cursor
 * ```
 */
export function createStorageCursorStore(
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void },
  prefix = 'callwire.cursor.',
): CursorStore {
  return {
    get(key) {
      const raw = storage.getItem(prefix + key);
      if (raw === null) return undefined;
      const seq = Number(raw);
      return Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
    },
    set(key, seq) {
      storage.setItem(prefix + key, String(seq));
    },
  };
}

/**
 * Writes each key's newest value, one write at a time per key: a burst of commits costs one write
 * in flight plus one pending, never a queue that grows with the event rate.
 */
export class CursorWriter {
  // Made on the first async write: a sync store (the default) never needs them.
  #inflight: Set<string> | undefined;
  #pending: Map<string, number> | undefined;

  readonly #store: CursorStore;
  readonly #onError: (error: unknown) => void;

  constructor(store: CursorStore, onError: (error: unknown) => void) {
    this.#store = store;
    this.#onError = onError;
  }

  write(key: string, seq: number): void {
    if (this.#inflight?.has(key)) {
      this.#pending ??= new Map();
      this.#pending.set(key, seq);
      return;
    }
    let result: void | Promise<void>;
    try {
      result = this.#store.set(key, seq);
    } catch (error) {
      this.#onError(error);
      return;
    }
    if (result === undefined || typeof (result as Promise<void>).then !== 'function') return;
    this.#inflight ??= new Set();
    this.#inflight.add(key);
    (result as Promise<void>).then(
      () => this.#done(key),
      (error: unknown) => {
        this.#onError(error);
        this.#done(key);
      },
    );
  }

  /** Resolves when no write is in flight (for `close()`). */
  async flushed(): Promise<void> {
    while ((this.#inflight?.size ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  #done(key: string): void {
    this.#inflight?.delete(key);
    const next = this.#pending?.get(key);
    if (next === undefined) return;
    this.#pending!.delete(key);
    this.write(key, next);
  }
}
