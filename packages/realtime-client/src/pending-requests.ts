/**
 * Frames awaiting the server's reply, by the id the client gave them (`s1`, `s2`, …). An answer
 * whose id is not here (the request was abandoned with its socket, or unsubscribed meanwhile)
 * finds nothing, which is how late answers are recognised.
 */
export class PendingRequests<T> {
  readonly #prefix: string;
  #next = 0;
  #open: Map<string, T> | undefined;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** A fresh id, for a frame whose answer nobody waits for. */
  nextId(): string {
    this.#next += 1;
    return `${this.#prefix}${this.#next}`;
  }

  /** Registers `value` under a fresh id and returns the id. */
  open(value: T): string {
    const id = this.nextId();
    this.#open ??= new Map();
    this.#open.set(id, value);
    return id;
  }

  /** The value waiting under `id`, removed; undefined when nothing waits under it. */
  take(id: string): T | undefined {
    const open = this.#open;
    const value = open?.get(id);
    if (value === undefined) return undefined;
    open!.delete(id);
    // Requests are answered within moments: an idle client keeps no map.
    if (open!.size === 0) this.#open = undefined;
    return value;
  }

  /** Forgets every request (their socket is gone: no answer will come). */
  clear(): void {
    this.#open = undefined;
  }
}
