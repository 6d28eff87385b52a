import type { Kysely, OperationNodeSource, RawBuilder, Transaction } from 'kysely';
import { areaDb } from '../db/area-db.js';
import type { CommitHooks, CommitWork } from '../db/group-commit.js';
import { IsoCache } from '../db/time.js';
import { uuidV7 } from '../db/uuid-v7.js';
import { ChannelFeed } from './channel-feed.js';
import { ContractCheck } from './contract-check.js';
import { EventBatch } from './event-batch.js';
import { EventBus } from './event-bus.js';
import * as store from './event-store.js';
import type { Emit, EmitInput, RecordedEvent, StoredEvent } from './event-types.js';
import { channelName, encodeControl, encodeEvents, notifyInTransaction } from './pg-channel.js';
import { runPgCommit } from './pg-commit.js';
import type { PublishedEvent } from './published-event.js';
import type { EventsTables } from './tables.js';

/** Events the PostgreSQL commit statement inserts itself; a transaction's others go before it. */
const PG_COMMIT_EVENTS = 32;

/**
 * Runs work in one database transaction and resolves after its commit (core's helper). Commit
 * hooks of transactions committed one after the other run in that order.
 */
export type RunTransaction<DB> = <T>(
  fn: (trx: Transaction<DB>, hooks: CommitHooks) => T | Promise<T>,
) => Promise<T>;

/**
 * Work that must happen in the emitting transaction (webhook deliveries, the outbox). `read` is
 * what its {@link CommitRead} returned, when the commit statement made the read (PostgreSQL);
 * undefined otherwise, and the hook reads for itself.
 */
export type BeforeCommit<DB, R = unknown> = (
  trx: Transaction<DB>,
  events: readonly RecordedEvent[],
  read: R | undefined,
) => Promise<void>;

/**
 * A read a commit hook needs, made on PostgreSQL by the statement that writes the events (see
 * pg-commit.ts) rather than in a round trip of its own while the account's counter is locked.
 */
export interface CommitRead<R> {
  /** A query returning one JSON value, for the accounts that have events in the transaction. */
  query(accounts: readonly string[]): RawBuilder<unknown>;
  /** The hook's value from that JSON value. */
  parse(value: unknown): R;
}

interface CommitHook<DB> {
  run: BeforeCommit<DB>;
  read: CommitRead<unknown> | undefined;
}

export interface EventServiceOptions<DB> {
  db: Kysely<DB>;
  runTransaction: RunTransaction<DB>;
  /**
   * Runs a transaction of background work (see {@link TransactionOptions.background}).
   * @default runTransaction
   */
  runBackgroundTransaction?: RunTransaction<DB> | undefined;
  /** PostgreSQL URL when events must reach other server instances (LISTEN/NOTIFY). */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema, when the server uses one (tests): it names the channel. */
  databaseSchema?: string | undefined;
  /** Server clock, epoch ms. */
  now: () => number;
  /** How long events are kept (at least; 24 h). */
  retentionMs: number;
  /**
   * Validate every event against EventSchema and throw on a mismatch (tests); otherwise a sample of
   * each type's events is validated and a mismatch logged.
   */
  strict: boolean;
  logError: (error: unknown, message: string) => void;
  logWarn: (details: object, message: string) => void;
}

export interface TransactionOptions {
  /**
   * Background work that must keep up whatever the request load (the simulated network's steps):
   * on PostgreSQL it runs on connections of its own rather than queueing behind the requests.
   * @default false
   */
  background?: boolean;
}

/**
 * The event log: records events with a gap-free per-account `seq` inside the caller's transaction,
 * then publishes them to live subscribers after commit. On PostgreSQL the publication is a
 * NOTIFY sent by the transaction itself, so every server instance (this one too) receives
 * committed events in commit order; on SQLite (one instance) they are handed to the bus by the
 * transaction's commit hook, which runs in commit order (also when transactions commit together).
 */
export class EventService<DB> {
  readonly bus: EventBus;
  readonly #options: EventServiceOptions<DB>;
  readonly #db: store.EventsDb;
  readonly #contract: ContractCheck;
  readonly #times = new IsoCache();
  readonly #pg: boolean;
  readonly #channel: string;
  /** What this instance hears of every instance's commits (PostgreSQL, while started). */
  #feed: ChannelFeed | undefined;
  readonly #beforeCommit: CommitHook<DB>[] = [];
  readonly #afterCommit: ((events: readonly RecordedEvent[]) => void)[] = [];
  readonly #controlHandlers: ((body: unknown) => void)[] = [];
  #purgeTimer: NodeJS.Timeout | undefined;
  /** The batch of each open transaction of {@link transaction}, by its handle. */
  readonly #batches = new WeakMap<object, EventBatch>();

  constructor(options: EventServiceOptions<DB>) {
    this.#options = options;
    this.#db = areaDb<EventsTables>(options.db);
    this.#contract = new ContractCheck(options.strict, options.logWarn);
    this.#pg = options.databaseUrl !== undefined;
    this.#channel = channelName(options.databaseSchema);
    this.bus = new EventBus((error) => options.logError(error, 'event listener failed'));
  }

  /**
   * Registers work that runs inside every emitting transaction, after the caller's work, with what
   * `read` read (PostgreSQL) in the statement that wrote the events.
   */
  onBeforeCommit<R>(hook: BeforeCommit<DB, R>, read?: CommitRead<R>): void {
    this.#beforeCommit.push({ run: hook as BeforeCommit<DB>, read });
  }

  /** Registers a callback run after every committed emitting transaction (on this instance). */
  onAfterCommit(hook: (events: readonly RecordedEvent[]) => void): void {
    this.#afterCommit.push(hook);
  }

  /** Receives control messages sent by {@link broadcastControl} on any instance (this one too). */
  onControl(handler: (body: unknown) => void): void {
    this.#controlHandlers.push(handler);
  }

  async start(): Promise<void> {
    if (this.#pg) {
      this.#feed = new ChannelFeed({
        db: this.#db,
        url: this.#options.databaseUrl!,
        channel: this.#channel,
        bus: this.bus,
        onControl: (body) => this.#dispatchControl(body),
        logError: this.#options.logError,
      });
      await this.#feed.start();
    }
    const every = Math.max(1000, Math.min(60_000, this.#options.retentionMs / 10));
    this.#purgeTimer = setInterval(() => {
      this.purgeExpired().catch((e: unknown) => this.#options.logError(e, 'event purge failed'));
    }, every);
    this.#purgeTimer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.#purgeTimer);
    await this.#feed?.stop();
    this.#feed = undefined;
  }

  /**
   * Runs `fn` in one transaction; every `emit` inside records an event with the account's next seq.
   * Live subscribers and webhooks see the events only once the transaction committed; if it rolls
   * back, the events and their seqs never existed. Do not call `transaction`/`emit` inside `fn`.
   */
  transaction<T>(
    fn: (trx: Transaction<DB>, emit: Emit) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const run =
      options.background === true
        ? (this.#options.runBackgroundTransaction ?? this.#options.runTransaction)
        : this.#options.runTransaction;
    return run((trx, hooks) => this.#within(trx, hooks, fn));
  }

  /** Records one event in its own transaction. */
  emit(event: EmitInput): Promise<StoredEvent> {
    return this.#options.runTransaction((trx, hooks) => this.#recordOne(trx, hooks, event));
  }

  /**
   * `emit`'s transaction. Most events of a busy server are committed with others that already hold
   * their account's counter: such an event takes the next seq and joins the batch at once, with no
   * promise, closure or batch part of its own (the bulk of the work of recording an event was that
   * machinery, not the statements). Otherwise it takes the way of any transaction.
   */
  #recordOne(trx: Transaction<DB>, hooks: CommitHooks, input: EmitInput): StoredEvent | Promise<StoredEvent> {
    const batch = this.#batchOf(trx);
    const last = batch.heldSeq(input.accountId);
    if (last === undefined) return this.#within(trx, hooks, (_trx, emit) => emit(input));
    // Built (and checked, which may throw) before it joins the batch, so a failure leaves nothing.
    const { event, row, recorded } = this.#build(input, last + 1);
    batch.addHeld(row, recorded);
    hooks.beforeCommit(this.#flush);
    return event;
  }

  async #within<T>(
    trx: Transaction<DB>,
    hooks: CommitHooks,
    fn: (trx: Transaction<DB>, emit: Emit) => Promise<T>,
  ): Promise<T> {
    const batch = this.#batchOf(trx);
    const part = batch.part();
    const db = areaDb<EventsTables>(trx);
    const emit: Emit = async (input) => {
      const seq =
        part.knownSeq(input.accountId) ??
        (await part.takeSeq(input.accountId, () => store.takeSeqs(db, input.accountId, 1)));
      const { event, row, recorded } = this.#build(input, seq);
      part.add(row, recorded);
      return event;
    };
    let value: T;
    try {
      value = await fn(trx, emit);
    } catch (error) {
      part.abandon();
      throw error;
    }
    part.join();
    if (batch.recorded.length > 0 || batch.controls.length > 0 || batch.writes.length > 0)
      hooks.beforeCommit(this.#flush);
    return value;
  }

  /** The batch of the transactions committed with `trx` (see {@link EventBatch}). */
  #batchOf(trx: object): EventBatch {
    let batch = this.#batches.get(trx);
    if (batch === undefined) {
      batch = new EventBatch();
      this.#batches.set(trx, batch);
    }
    return batch;
  }

  /** Once per commit: the batch's counters, events, webhook work and (PostgreSQL) notifications. */
  readonly #flush: CommitWork = async (trx, hooks) => {
    const batch = this.#batches.get(trx);
    if (batch === undefined) return;
    const db = areaDb<EventsTables>(trx);
    const { recorded } = batch;
    try {
      if (this.#pg) await this.#flushPg(trx as unknown as Transaction<DB>, batch);
      else if (recorded.length > 0) {
        for (const [accountId, last] of batch.counterWrites()) await store.setLastSeq(db, accountId, last);
        await store.insertEvents(db, batch.rows);
        for (const hook of this.#beforeCommit)
          await hook.run(trx as unknown as Transaction<DB>, recorded, undefined);
      }
    } finally {
      this.#batches.delete(trx);
    }
    if (recorded.length > 0) hooks.afterCommit(() => this.#published(recorded));
  };

  /**
   * PostgreSQL: the counters, the events, their notifications (with the control messages queued so
   * far) and the hooks' reads in one statement; then the hooks, and one more statement for the
   * control messages they queued.
   */
  async #flushPg(trx: Transaction<DB>, batch: EventBatch): Promise<void> {
    const db = areaDb<EventsTables>(trx);
    const { recorded } = batch;
    const payloads = batch.controls.splice(0);
    for (const [accountId, events] of byAccount(recorded)) payloads.push(...encodeEvents(accountId, events));
    const hooks = recorded.length > 0 ? this.#beforeCommit : [];
    const accounts = [...new Set(recorded.map((e) => e.accountId))];
    // A transaction with very many events inserts all but the statement's share first.
    const inline = batch.rows.slice(0, PG_COMMIT_EVENTS);
    if (batch.rows.length > inline.length) await store.insertEvents(db, batch.rows.slice(inline.length));
    const reads = await runPgCommit(db, {
      counters: batch.counterWrites(),
      events: inline,
      channel: this.#channel,
      payloads,
      reads: hooks.flatMap((h) => (h.read === undefined ? [] : [h.read.query(accounts)])),
      writes: batch.writes,
    });
    let next = 0;
    for (const hook of hooks) {
      const read = hook.read === undefined ? undefined : hook.read.parse(reads[next++]);
      await hook.run(trx, recorded, read);
    }
    await notifyInTransaction(db, this.#channel, batch.controls.splice(0));
  }

  /** After the commit of `recorded`: live subscribers (SQLite; PostgreSQL's come by NOTIFY), then hooks. */
  #published(recorded: readonly RecordedEvent[]): void {
    if (!this.#pg) for (const [accountId, events] of byAccount(recorded)) this.bus.deliver(accountId, events);
    for (const hook of this.#afterCommit) {
      try {
        hook(recorded);
      } catch (error) {
        this.#options.logError(error, 'after-commit hook failed');
      }
    }
  }

  /** The event with its seq: as returned, as stored, and as published (one JSON string for both). */
  #build(
    input: EmitInput,
    seq: number,
  ): { event: StoredEvent; row: store.EventRow; recorded: RecordedEvent } {
    // One clock reading for both: the id's time bits are the `created_on` millisecond.
    const nowMs = this.#options.now();
    const uuid = uuidV7(nowMs);
    const createdOn = this.#times.iso(nowMs);
    const event: StoredEvent = {
      uuid,
      seq,
      type: input.type,
      account_id: input.accountId,
      created_on: createdOn,
      ref_id: input.refId,
      message: input.message,
      payload: input.payload,
    };
    this.#contract.check(event);
    const json = JSON.stringify(event);
    return {
      event,
      row: {
        uuid,
        account_id: input.accountId,
        seq,
        type: input.type,
        ref_id: input.refId,
        created_on: createdOn,
        json,
      },
      recorded: { accountId: input.accountId, seq, type: input.type, json, uuid },
    };
  }

  /** Sends a control message to every instance (this one included). */
  async broadcastControl(body: unknown): Promise<void> {
    if (!this.#pg) {
      this.#dispatchControl(body);
      return;
    }
    await notifyInTransaction(this.#db, this.#channel, [encodeControl(body)]);
  }

  /**
   * Queues a control message on the caller's transaction: every instance (this one too) receives it
   * when the transaction commits, never if it rolls back. A no-op on SQLite (one instance).
   */
  async controlInTransaction(trx: Transaction<DB>, body: unknown): Promise<void> {
    if (!this.#pg) return;
    // Inside one of our transactions it goes out with the events, in one statement at the end.
    const batch = this.#batches.get(trx);
    if (batch !== undefined) batch.controls.push(encodeControl(body));
    else await notifyInTransaction(trx, this.#channel, [encodeControl(body)]);
  }

  /**
   * Queues an insert that nothing in the transaction reads back for the statement that writes the
   * transaction's events (PostgreSQL, inside one of this service's transactions): one round trip
   * fewer while the transaction holds its account's rows. `insert` is called only then. False
   * otherwise (SQLite, where a statement costs no round trip): the caller writes now.
   */
  writeAtCommit(trx: Transaction<DB>, insert: () => OperationNodeSource): boolean {
    if (!this.#pg) return false;
    const batch = this.#batches.get(trx);
    if (batch === undefined) return false;
    batch.writes.push(insert());
    return true;
  }

  #dispatchControl(body: unknown): void {
    for (const handler of this.#controlHandlers) {
      try {
        handler(body);
      } catch (error) {
        this.#options.logError(error, 'control handler failed');
      }
    }
  }

  /**
   * Resolves once every event committed before the call has been handed to the bus (PostgreSQL:
   * our own notifications came back). Graceful shutdown waits for this before closing sockets. On
   * SQLite delivery is synchronous with commit, so there is nothing to wait for.
   */
  async flush(timeoutMs = 1000): Promise<void> {
    await this.#feed?.flush(timeoutMs);
  }

  // ---- reads ---------------------------------------------------------------------------------

  lastSeq(accountId: string): Promise<number> {
    return store.lastSeq(this.#db, accountId);
  }

  oldestSeq(accountId: string): Promise<number | null> {
    return store.oldestSeq(this.#db, accountId);
  }

  readAfter(
    accountId: string,
    afterSeq: number,
    limit: number,
    patterns?: readonly string[],
  ): Promise<PublishedEvent[]> {
    return store.readAfter(this.#db, accountId, afterSeq, limit, patterns);
  }

  /** Deletes events older than the retention period. */
  purgeExpired(): Promise<number> {
    const cutoff = new Date(this.#options.now() - this.#options.retentionMs).toISOString();
    return store.purgeBefore(this.#db, cutoff);
  }
}

function byAccount<E extends PublishedEvent>(events: readonly E[]): Map<string, E[]> {
  const map = new Map<string, E[]>();
  for (const e of events) {
    let list = map.get(e.accountId);
    if (list === undefined) {
      list = [];
      map.set(e.accountId, list);
    }
    list.push(e);
  }
  return map;
}
