import type { OperationNodeSource } from 'kysely';
import type { EventRow } from './event-store.js';
import type { RecordedEvent } from './event-types.js';

/**
 * What the emitting transactions committed together (on SQLite a group, on PostgreSQL one
 * transaction) record just before their commit: each account's counter row is taken once and
 * written once, and their events are inserted together.
 */
export class EventBatch {
  readonly rows: EventRow[] = [];
  readonly recorded: RecordedEvent[] = [];
  /** Control messages to send with the events (PostgreSQL). */
  readonly controls: string[] = [];
  /** Inserts that wait for the statement writing the events (PostgreSQL; see writeAtCommit). */
  readonly writes: OperationNodeSource[] = [];
  /** Per account: the counter as written, and the last seq taken by the batch's transactions. */
  readonly #counters = new Map<string, { stored: number; last: number }>();

  /** One transaction's share, which joins the batch only if that transaction succeeds. */
  part(): BatchPart {
    return new BatchPart(this, this.#counters);
  }

  /**
   * The last seq of `accountId` when the batch holds its counter (an earlier transaction of the
   * batch took it), else undefined. An event given the next one joins with {@link addHeld}.
   */
  heldSeq(accountId: string): number | undefined {
    return this.#counters.get(accountId)?.last;
  }

  /** Adds the event with the seq after {@link heldSeq}, for a transaction that records only it. */
  addHeld(row: EventRow, event: RecordedEvent): void {
    const counter = this.#counters.get(event.accountId);
    if (counter === undefined || counter.last !== event.seq - 1)
      throw new Error(`event seq ${event.seq} does not follow the batch's counter`);
    counter.last = event.seq;
    this.rows.push(row);
    this.recorded.push(event);
  }

  /** The counters to write before the commit: the batch took more seqs than the rows hold. */
  counterWrites(): [accountId: string, last: number][] {
    const out: [string, number][] = [];
    for (const [accountId, c] of this.#counters) if (c.last > c.stored) out.push([accountId, c.last]);
    return out;
  }
}

/**
 * The events of one transaction of a batch. One that fails (on SQLite, rolled back to its
 * savepoint) leaves no event and gives its seqs back to the next one.
 */
export class BatchPart {
  readonly #batch: EventBatch;
  readonly #counters: Map<string, { stored: number; last: number }>;
  readonly #taken = new Map<string, number>();
  /** Accounts whose counter row this transaction was the first of the batch to take. */
  readonly #opened: string[] = [];
  readonly #rows: EventRow[] = [];
  readonly #recorded: RecordedEvent[] = [];

  constructor(batch: EventBatch, counters: Map<string, { stored: number; last: number }>) {
    this.#batch = batch;
    this.#counters = counters;
  }

  /** The account's next seq when this transaction or its batch already holds the counter row. */
  knownSeq(accountId: string): number | undefined {
    const last = this.#taken.get(accountId) ?? this.#counters.get(accountId)?.last;
    if (last === undefined) return undefined;
    this.#taken.set(accountId, last + 1);
    return last + 1;
  }

  /**
   * The account's next seq when {@link knownSeq} had none: the batch's first event of an account
   * takes it from the counter row (`take`, which reserves one seq), and so holds that row until
   * commit (PostgreSQL's row lock, SQLite's write lock): the following seqs are counted here.
   */
  async takeSeq(accountId: string, take: () => Promise<number>): Promise<number> {
    const reserved = await take();
    this.#counters.set(accountId, { stored: reserved, last: reserved - 1 });
    this.#opened.push(accountId);
    this.#taken.set(accountId, reserved);
    return reserved;
  }

  add(row: EventRow, event: RecordedEvent): void {
    this.#rows.push(row);
    this.#recorded.push(event);
  }

  /** The transaction succeeded: its events and seqs join the batch. */
  join(): void {
    for (const [accountId, last] of this.#taken) {
      const counter = this.#counters.get(accountId);
      if (counter !== undefined) counter.last = last;
    }
    for (const row of this.#rows) this.#batch.rows.push(row);
    for (const event of this.#recorded) this.#batch.recorded.push(event);
  }

  /** The transaction failed: its counter writes are rolled back, so whoever comes next reads the row again. */
  abandon(): void {
    for (const accountId of this.#opened) this.#counters.delete(accountId);
  }
}
