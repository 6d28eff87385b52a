/**
 * Listeners of one kind of notice. Each is called with the same value in the order added; one that
 * throws is reported to `onError` and never stops the others, or whatever emitted the notice.
 * Emitting works on a copy, so a listener may remove itself (or others) while being called.
 */
export class ListenerSet<T> {
  readonly #set = new Set<(value: T) => void>();

  get size(): number {
    return this.#set.size;
  }

  /** Adds `listener`; returns the function that removes it (safe to call more than once). */
  add(listener: (value: T) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.#set.add(listener);
    return () => {
      this.#set.delete(listener);
    };
  }

  /** Calls every listener with `value`; a listener that throws is reported to `onError` and the others still run. */
  emit(value: T, onError: (error: unknown) => void): void {
    if (this.#set.size === 0) return;
    for (const listener of [...this.#set]) {
      try {
        listener(value);
      } catch (error) {
        onError(error);
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.#set.clear();
  }
}
