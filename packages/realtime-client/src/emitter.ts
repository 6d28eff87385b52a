import { ListenerSet } from '@callwire/auth-core';

/**
 * Listeners by notice name, typed by a map such as `{ state: StateChange; error: unknown }`. A set is
 * made on the first listener of its kind: an idle client with none costs nothing. A throwing
 * listener goes to `onError` (given per emit, since what to do with it depends on the notice).
 */
export class Emitter<Events extends object> {
  #sets: { [K in keyof Events]?: ListenerSet<Events[K]> } | undefined;
  #closed = false;

  on<K extends keyof Events>(name: K, listener: (value: Events[K]) => void): () => void {
    if (this.#closed) return () => {};
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.#sets ??= {};
    let set = this.#sets[name];
    if (set === undefined) {
      set = new ListenerSet<Events[K]>();
      this.#sets[name] = set;
    }
    return set.add(listener);
  }

  has(name: keyof Events): boolean {
    return (this.#sets?.[name]?.size ?? 0) > 0;
  }

  emit<K extends keyof Events>(name: K, value: Events[K], onError: (error: unknown) => void): void {
    this.#sets?.[name]?.emit(value, onError);
  }

  /** Removes every listener; later `on()` calls are no-ops. */
  close(): void {
    this.#closed = true;
    this.#sets = undefined;
  }
}
