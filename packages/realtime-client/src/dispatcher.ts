import type { CallwireEvent } from '@callwire/types';
import { release } from './commit-queue.js';
import type { Consumers } from './consumers.js';
import type { Counters } from './counters.js';
import type { CursorWriter } from './cursor-store.js';
import { seenBefore } from './dedupe.js';
import type { UnknownEventNotice } from './event-types.js';
import { type EventValidator, isUnknownNotice } from './event-validator.js';
import type { Committer, RawEvent, Subscription } from './subscription.js';

export interface DispatcherHost {
  /** The queue outgrew `maxQueue` with events from the socket: stop reading (true if it did). */
  overflow(queued: number): boolean;
  /** The queue drained to half after an overflow: read again. */
  drained(): void;
  unknown(notice: UnknownEventNotice): void;
  error(error: unknown): void;
}

/** What an empty queue holds: shared and never written, the first push makes a queue's own arrays. */
const EMPTY: never[] = Object.freeze([]) as unknown as never[];

export interface DispatcherOptions {
  validate: EventValidator;
  consumers: Consumers;
  counters: Counters;
  cursors: CursorWriter;
  maxQueue: number;
}

/**
 * Between the seq gates and the consumers: one queue for every subscription, so events reach the
 * consumers one at a time in the order they were accepted, each awaited. It validates, drops what
 * another subscription of the account already delivered, moves cursors (written once per burst),
 * and keeps memory bounded: past `maxQueue` it asks the connection to stop reading until the queue
 * has drained to half, and backfills wait for room the same way.
 */
export class Dispatcher implements Committer {
  readonly #validate: EventValidator;
  readonly #consumers: Consumers;
  readonly #counters: Counters;
  readonly #cursors: CursorWriter;
  readonly #maxQueue: number;
  readonly #host: DispatcherHost;
  // The queue, as two parallel arrays from `#head` on: no object per queued event.
  #subs: Subscription[] = EMPTY;
  #raws: RawEvent[] = EMPTY;
  #head = 0;
  #pumping = false;
  /**
   * True while a burst is under way (`#pumping`) except while an event that found the queue empty
   * is handed out at once: its commit, the only one of its burst, writes straight away, with no
   * bookkeeping per event. Other commits mark cursors to write once the burst ends.
   */
  #batching = false;
  #overflowed = false;
  // Both made on first use: an idle client keeps neither. `#dirty` is then kept and emptied, not
  // replaced, as every event's commit goes through it.
  #dirty: Subscription[] | undefined;
  #roomWaiters: (() => void)[] | undefined;

  constructor(options: DispatcherOptions, host: DispatcherHost) {
    this.#validate = options.validate;
    this.#consumers = options.consumers;
    this.#counters = options.counters;
    this.#cursors = options.cursors;
    this.#maxQueue = options.maxQueue;
    this.#host = host;
  }

  get queued(): number {
    return this.#raws.length - this.#head;
  }

  /** Passes `raw` through the seq gate of `sub` and queues it; false for a duplicate. */
  accept(sub: Subscription, raw: RawEvent, fromSocket: boolean): boolean {
    const counters = this.#counters;
    if (!sub.admit(raw.seq)) {
      counters.duplicatesDropped += 1;
      return false;
    }
    counters.received += 1;
    if (raw.seq <= sub.replayUntil) counters.replayed += 1;
    if (!this.#pumping && this.#head === this.#raws.length) {
      // Nothing waits ahead of it: deliver now, without queueing (the common case).
      this.#pumping = true;
      const pending = this.#deliver(sub, raw);
      if (pending === undefined) this.#pumping = false;
      else {
        // A consumer is busy with it: events may queue behind it, one burst with it.
        this.#batching = true;
        this.#await(pending);
      }
      return true;
    }
    if (this.#raws === EMPTY) {
      this.#subs = [];
      this.#raws = [];
    }
    this.#subs.push(sub);
    this.#raws.push(raw);
    const queued = this.#raws.length - this.#head;
    if (queued > counters.maxQueued) counters.maxQueued = queued;
    if (fromSocket && queued > this.#maxQueue && !this.#overflowed) {
      // Consumers are this far behind: stop reading rather than buffer without bound. `received`
      // marks where to resume once they catch up.
      if (this.#host.overflow(queued)) {
        this.#overflowed = true;
        counters.sheds += 1;
      }
    }
    this.#pump();
    return true;
  }

  /** The consumers finished `seq` of `sub`: its cursor may move there. */
  commit(sub: Subscription, seq: number): void {
    if (sub.committed !== undefined && seq <= sub.committed) return;
    sub.committed = seq;
    if (!sub.active) return;
    // Written once per burst, not once per event: a sync store such as localStorage would
    // otherwise cost a write per event. The burst ends when the dispatch loop goes idle or waits.
    if (!this.#batching) this.#cursors.write(sub.key, seq);
    else if (this.#dirty === undefined) this.#dirty = [sub];
    else if (!this.#dirty.includes(sub)) this.#dirty.push(sub);
  }

  /** Resolves once the queue has room (at most half of `maxQueue` waiting): backfills pace themselves. */
  room(): Promise<void> {
    if (this.queued <= this.#maxQueue / 2) return Promise.resolve();
    return new Promise((resolve) => {
      this.#roomWaiters ??= [];
      this.#roomWaiters.push(resolve);
    });
  }

  /** Writes the cursors the current burst moved. */
  flush(): void {
    this.#flushCursors();
  }

  /** Forgets everything queued and wakes whatever waits for room (the client is disposed). */
  clear(): void {
    this.#subs = EMPTY;
    this.#raws = EMPTY;
    this.#head = 0;
    this.#wakeRoomWaiters();
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    this.#batching = true;
    while (this.#head < this.#raws.length) {
      const sub = this.#subs[this.#head]!;
      const raw = this.#raws[this.#head]!;
      this.#subs[this.#head] = undefined as unknown as Subscription;
      this.#raws[this.#head] = undefined as unknown as RawEvent;
      this.#head += 1;
      const pending = this.#deliver(sub, raw);
      if (pending !== undefined) {
        this.#await(pending);
        return;
      }
      if ((this.#head & 255) === 0) this.#afterItem();
    }
    this.#subs = EMPTY;
    this.#raws = EMPTY;
    this.#head = 0;
    this.#pumping = false;
    this.#batching = false;
    this.#flushCursors();
    this.#afterItem();
  }

  /** A consumer is busy: the burst ends here (cursors written), the loop resumes when it is done. */
  #await(pending: Promise<void>): void {
    this.#flushCursors();
    pending.then(
      () => {
        this.#pumping = false;
        this.#batching = false;
        this.#afterItem();
        this.#pump();
      },
      (error: unknown) => {
        this.#pumping = false;
        this.#batching = false;
        this.#host.error(error);
        this.#pump();
      },
    );
  }

  #deliver(sub: Subscription, raw: RawEvent): Promise<void> | undefined {
    if (!sub.active) return undefined;
    const result = this.#validate(raw);
    if (isUnknownNotice(result)) {
      this.#counters.unknown += 1;
      const ticket = sub.commits.open(raw.seq);
      this.#host.unknown(result);
      release(ticket);
      return undefined;
    }
    if (seenBefore(sub.window, raw.seq)) {
      this.#counters.duplicatesDropped += 1;
      release(sub.commits.open(raw.seq));
      return undefined;
    }
    this.#counters.delivered += 1;
    return this.#consumers.deliver(sub, result as CallwireEvent);
  }

  /** Wakes what waits for the queue to shrink: backfill pages, and a socket paused for load. */
  #afterItem(): void {
    const queued = this.#raws.length - this.#head;
    if (this.#head > 4096 && this.#head * 2 > this.#raws.length) {
      this.#subs = this.#subs.slice(this.#head);
      this.#raws = this.#raws.slice(this.#head);
      this.#head = 0;
    }
    if (queued > this.#maxQueue / 2) return;
    this.#wakeRoomWaiters();
    if (this.#overflowed) {
      this.#overflowed = false;
      this.#host.drained();
    }
  }

  #wakeRoomWaiters(): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = undefined;
    if (waiters !== undefined) for (const wake of waiters) wake();
  }

  #flushCursors(): void {
    const dirty = this.#dirty;
    if (dirty === undefined || dirty.length === 0) return;
    for (const sub of dirty) {
      if (sub.active && sub.committed !== undefined) this.#cursors.write(sub.key, sub.committed);
    }
    dirty.length = 0;
  }
}
