import { matchesAnyEventPattern } from '@callwire/types';
import { release, type Ticket } from './commit-queue.js';
import { BufferOverflowError } from './errors.js';

/**
 * What happens when an `events()` consumer falls `bufferSize` events behind:
 * - `'wait'` (default, lossless): delivery pauses until the consumer catches up. Every handler and
 *   iterator waits with it; incoming frames queue up to the client's `maxQueue`, beyond which the
 *   client closes the socket and resumes from its cursor once the queue has drained, so memory
 *   stays bounded and nothing is lost.
 * - `'drop-oldest'`: the oldest buffered event is discarded (counted in `metrics.dropped`); for
 *   dashboards that only care about the latest state.
 * - `'error'`: the iterator throws `BufferOverflowError` and ends.
 * Discarded events count as handled: the cursor moves past them.
 */
export type OverflowPolicy = 'wait' | 'drop-oldest' | 'error';

/** The options of `client.events()`. */
export interface EventsOptions<P extends string = string> {
  /**
   * Patterns to yield (default `['*']`). Only events of existing subscriptions arrive.
   * @defaultValue `['*']`
   */
  types?: readonly P[];
  /**
   * Ends the iteration (without error) when aborted.
   * @defaultValue none: the iteration runs until the client closes
   */
  signal?: AbortSignal;
  /**
   * Events held for a slow consumer (default 1000).
   * @defaultValue 1 000
   */
  bufferSize?: number;
  /**
   * What happens when the consumer falls `bufferSize` events behind (see {@link OverflowPolicy}).
   * @defaultValue `'wait'`
   */
  overflow?: OverflowPolicy;
}

interface Slot<E> {
  event: E;
  ticket: Ticket;
}

export interface StreamHost {
  detach(stream: EventStream<unknown>): void;
  onDropped(): void;
}

/** A bounded buffer between the dispatch loop and one `for await` consumer. */
export class EventStream<E> implements AsyncIterableIterator<E> {
  readonly patterns: readonly string[];
  readonly bufferSize: number;
  readonly overflow: OverflowPolicy;
  #buffer: Slot<E>[] = [];
  #head = 0;
  #current: Ticket | undefined;
  #reader: ((result: IteratorResult<E>) => void) | undefined;
  #readerFail: ((error: unknown) => void) | undefined;
  #space: (() => void) | undefined;
  #ended = false;
  #error: unknown;
  readonly #host: StreamHost;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => {
    void this.return();
  };

  constructor(host: StreamHost, options: EventsOptions) {
    this.#host = host;
    this.patterns = options.types === undefined ? ['*'] : [...options.types];
    if (this.patterns.length === 0) throw new TypeError('events({ types }) needs at least one pattern');
    this.bufferSize = options.bufferSize ?? 1000;
    if (!Number.isSafeInteger(this.bufferSize) || this.bufferSize < 1) {
      throw new TypeError('bufferSize must be a positive integer');
    }
    this.overflow = options.overflow ?? 'wait';
    if (!['wait', 'drop-oldest', 'error'].includes(this.overflow)) {
      throw new TypeError("overflow must be 'wait', 'drop-oldest' or 'error'");
    }
    this.#signal = options.signal;
    if (this.#signal?.aborted) this.#ended = true;
    else this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get buffered(): number {
    return this.#buffer.length - this.#head;
  }

  get ended(): boolean {
    return this.#ended;
  }

  selects(type: string): boolean {
    return matchesAnyEventPattern(type, this.patterns);
  }

  /**
   * Takes an event (and a hold on its ticket). Returns a promise only when the policy is `wait` and
   * the buffer is full: the dispatch loop awaits it before the next event.
   */
  offer(event: E, ticket: Ticket): void | Promise<void> {
    if (this.#ended) return;
    ticket.pending += 1;
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      this.#readerFail = undefined;
      this.#current = ticket;
      reader({ value: event, done: false });
      return;
    }
    if (this.buffered < this.bufferSize) {
      this.#buffer.push({ event, ticket });
      return;
    }
    if (this.overflow === 'drop-oldest') {
      const oldest = this.#shift()!;
      release(oldest.ticket);
      this.#host.onDropped();
      this.#buffer.push({ event, ticket });
      return;
    }
    if (this.overflow === 'error') {
      release(ticket);
      this.#finish(new BufferOverflowError(this.bufferSize));
      return;
    }
    return new Promise<void>((resolve) => {
      this.#space = () => {
        this.#space = undefined;
        if (this.#ended) release(ticket);
        else this.#buffer.push({ event, ticket });
        resolve();
      };
    });
  }

  next(): Promise<IteratorResult<E>> {
    this.#releaseCurrent();
    if (this.buffered > 0) {
      const slot = this.#shift()!;
      this.#current = slot.ticket;
      this.#space?.();
      return Promise.resolve({ value: slot.event, done: false });
    }
    if (this.#ended) return this.#endResult();
    return new Promise((resolve, reject) => {
      this.#reader = resolve;
      this.#readerFail = reject;
    });
  }

  return(): Promise<IteratorResult<E>> {
    this.#error = undefined;
    this.#finish(undefined);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the stream: buffered events are dropped (their tickets released), a waiting reader wakes. */
  end(error?: unknown): void {
    this.#finish(error);
  }

  #finish(error: unknown): void {
    if (this.#ended && this.#buffer.length === 0 && this.#current === undefined) return;
    this.#ended = true;
    if (error !== undefined && this.#error === undefined) this.#error = error;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#releaseCurrent();
    const slots = this.#buffer;
    const head = this.#head;
    this.#buffer = [];
    this.#head = 0;
    for (let i = head; i < slots.length; i++) release(slots[i]!.ticket);
    this.#space?.();
    this.#host.detach(this as EventStream<unknown>);
    const reader = this.#reader;
    const fail = this.#readerFail;
    this.#reader = undefined;
    this.#readerFail = undefined;
    if (reader !== undefined) {
      if (this.#error !== undefined && fail !== undefined) {
        const e = this.#error;
        this.#error = undefined;
        fail(e);
      } else reader({ value: undefined, done: true });
    }
  }

  #endResult(): Promise<IteratorResult<E>> {
    if (this.#error !== undefined) {
      const error = this.#error;
      this.#error = undefined;
      return Promise.reject(error);
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  #releaseCurrent(): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#current = undefined;
    release(current);
  }

  #shift(): Slot<E> | undefined {
    const slot = this.#buffer[this.#head];
    if (slot === undefined) return undefined;
    this.#head += 1;
    if (this.#head === this.#buffer.length) {
      this.#buffer = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#buffer.length) {
      this.#buffer = this.#buffer.slice(this.#head);
      this.#head = 0;
    }
    return slot;
  }
}
