/**
 * Where subscription cursors (the last seq a handler finished with) are kept, so a restarted
 * process resumes where it stopped. Keys are stable strings (see `SubscribeOptions.key`); values
 * are seqs. Both methods may be sync or async; a failing store is logged and never stops events.
 */
export interface CursorStore {
  get(key: string): number | undefined | Promise<number | undefined>;
  set(key: string, seq: number): void | Promise<void>;
}

/** The default: cursors live as long as the client's process. */
export function createMemoryCursorStore(initial?: Record<string, number>): CursorStore & {
  snapshot(): Record<string, number>;
} {
  const map = new Map<string, number>(Object.entries(initial ?? {}));
  return {
    get: (key) => map.get(key),
    set: (key, seq) => {
      map.set(key, seq);
    },
    snapshot: () => Object.fromEntries(map),
  };
}

/**
 * A store over any `Storage` (browser `localStorage`, or anything with getItem/setItem), so a page
 * reload resumes too. Values are written as decimal strings under `prefix + key`.
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
  readonly #inflight = new Set<string>();
  readonly #pending = new Map<string, number>();

  readonly #store: CursorStore;
  readonly #onError: (error: unknown) => void;

  constructor(store: CursorStore, onError: (error: unknown) => void) {
    this.#store = store;
    this.#onError = onError;
  }

  write(key: string, seq: number): void {
    if (this.#inflight.has(key)) {
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
    while (this.#inflight.size > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  #done(key: string): void {
    this.#inflight.delete(key);
    const next = this.#pending.get(key);
    if (next === undefined) return;
    this.#pending.delete(key);
    this.write(key, next);
  }
}
