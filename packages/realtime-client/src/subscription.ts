import { CommitQueue, type CommitTarget } from './commit-queue.js';

/** The options of `client.subscribe()`. */
export interface SubscribeOptions {
  /**
   * The account whose events to receive; default the client's `accountId`, else the token's account.
   * @defaultValue the client's `accountId`, else the token's account
   */
  accountId?: string;
  /**
   * Resume after this seq (replaying everything newer that the server still retains). Default: the
   * cursor store's value for `key`, else live from now.
   * @defaultValue the cursor store's value for `key`, else live from now
   */
  afterSeq?: number;
  /**
   * The cursor store key; default derived from the account and the sorted patterns.
   * @defaultValue derived from the account and the sorted patterns
   */
  key?: string;
}

/** What the server said when it accepted a subscription. */
export interface SubscribedInfo {
  /** The server's id for this subscription on the current connection. */
  subscription: string;
  accountId: string | undefined;
  /** The account's newest seq when the subscription started. */
  lastSeq: number;
  /** False when the server could not replay the gap and the client backfilled over REST. */
  recovered: boolean;
}

/** A subscription: its key, patterns, readiness and how to end it. */
export interface SubscriptionHandle {
  readonly key: string;
  readonly types: readonly string[];
  /** The account, once known (requested, or as the server resolved it). */
  readonly accountId: string | undefined;
  /** The last seq every consumer finished with (what the cursor store holds), if any. */
  readonly cursor: number | undefined;
  /** Resolves on the first `subscribed`; rejects when the server refuses the subscription. */
  readonly ready: Promise<SubscribedInfo>;
  /** Stops the subscription here and on the server. Idempotent. */
  unsubscribe(): Promise<void>;
}

/** An event as it came off the socket or the REST API, before validation. */
export interface RawEvent {
  seq: number;
  type: string;
  [field: string]: unknown;
}

/** How the server's `subscribed` answer leaves a subscription. */
export type SubscribedOutcome =
  /** Live from the account's newest seq (nothing to resume). */
  | 'live'
  /** The server replays what came after our cursor, then goes live. */
  | 'replay'
  /** The server's seqs went backwards (its data was reset): the cursor restarts from its newest seq. */
  | 'history_reset'
  /** The server cannot replay the gap: it is fetched over REST. */
  | 'not_retained'
  /** Resumed with the other subscriptions of its account, fetched together over REST in seq order. */
  | 'catch_up';

/**
 * One subscription, as it outlives connections: it builds its subscribe frame, decides what the
 * server's answer means for it, and owns its seq gate (every event, live, replayed or backfilled,
 * passes `admit()` once) and its commit queue (the cursor moves only past what consumers finished).
 */
export class Subscription implements CommitTarget {
  readonly key: string;
  readonly types: readonly string[];
  readonly requestedAccount: string | undefined;
  /** Subscriptions with the same key share an account's seqs: dedupe and ordering work per key. */
  readonly dedupeKey: string;
  serverAccount: string | undefined;
  /** Highest seq accepted into the pipeline: duplicates are dropped against it, resubscribes resume after it. */
  received: number | undefined;
  /** Highest seq every consumer finished with, in order: what the cursor store gets. */
  committed: number | undefined;
  /** The server's id on the current connection. */
  serverId: string | undefined;
  /** The id of our subscribe frame while it awaits its answer. */
  requestId: string | undefined;
  /** Events up to this seq are replays of the current subscribe. */
  replayUntil = 0;
  active = true;
  /** The cursor store has answered (the subscribe frame may go out). */
  loaded = false;
  /** The REST catch-up this subscription's events wait for, if one runs. */
  catchUp: CatchUpLike | undefined;
  /** Set while this subscription shares its account with others (see `joinWindow`). */
  window: DedupeWindow | undefined;
  readonly commits: CommitQueue;
  /** What `subscribe()` returned (set by `Subscriptions.add`). */
  handle!: SubscriptionHandle;
  readonly ready: Promise<SubscribedInfo>;
  #requestedAfter: number | undefined;
  // Dropped once `ready` settles: an idle subscription keeps no promise machinery.
  #resolve: ((info: SubscribedInfo) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #settled = false;
  readonly #committer: Committer;

  constructor(options: {
    key: string;
    types: readonly string[];
    accountId: string | undefined;
    committer: Committer;
  }) {
    this.key = options.key;
    this.types = options.types;
    this.requestedAccount = options.accountId;
    this.dedupeKey = options.accountId ?? '';
    this.#committer = options.committer;
    this.commits = new CommitQueue(this);
    this.ready = new Promise<SubscribedInfo>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Nobody has to await `ready`; a refusal is also reported through onError.
    this.ready.catch(() => {});
  }

  /** Active, its cursor known, and neither subscribed nor asking on the current connection. */
  get wantsSubscribe(): boolean {
    return this.active && this.loaded && this.requestId === undefined && this.serverId === undefined;
  }

  /**
   * The subscribe frame, resuming after `received` unless `live` (its gap is fetched with the other
   * subscriptions of its account instead).
   */
  subscribeFrame(id: string, live: boolean): Record<string, unknown> {
    const frame: Record<string, unknown> = { type: 'subscribe', id, types: this.types };
    if (this.requestedAccount !== undefined) frame.account_id = this.requestedAccount;
    const after = live ? undefined : this.received;
    if (after !== undefined) frame.after_seq = after;
    this.requestId = id;
    this.#requestedAfter = after;
    return frame;
  }

  /** Applies the server's `subscribed`: returns what it means and the seq the subscription resumed after. */
  subscribed(
    serverId: string,
    accountId: string | undefined,
    lastSeq: number,
    recovered: boolean,
  ): { outcome: SubscribedOutcome; afterSeq: number } {
    this.requestId = undefined;
    this.serverId = serverId;
    this.serverAccount = accountId ?? this.requestedAccount;
    const afterSeq = this.catchUp !== undefined ? this.received : this.#requestedAfter;
    if (afterSeq === undefined) {
      // Live from lastSeq: remember it, so a reconnect before the first event resumes from here
      // instead of going live again and missing what happened in between.
      this.received = lastSeq;
      if (this.commits.size === 0) this.commitTo(lastSeq);
      return { outcome: 'live', afterSeq: lastSeq };
    }
    if (lastSeq < afterSeq) {
      this.received = lastSeq;
      this.commits.clear();
      this.commitTo(lastSeq);
      return { outcome: 'history_reset', afterSeq };
    }
    if (this.catchUp !== undefined) return { outcome: 'catch_up', afterSeq };
    if (recovered) {
      this.replayUntil = lastSeq;
      return { outcome: 'replay', afterSeq };
    }
    return { outcome: 'not_retained', afterSeq };
  }

  /** Consumers finished everything up to `seq`: the cursor may move there. */
  commitTo(seq: number): void {
    this.#committer.commit(this, seq);
  }

  /** The seq gate: true for an event this subscription has not had yet. */
  admit(seq: number): boolean {
    if (this.received !== undefined && seq <= this.received) return false;
    this.received = seq;
    return true;
  }

  /**
   * The socket is gone: the server's id and any request die with it. Events held for a catch-up are
   * dropped too: `received` never moved past them, so the resubscribe brings them again.
   */
  detach(): void {
    this.serverId = undefined;
    this.requestId = undefined;
    this.catchUp?.cancel();
    this.catchUp = undefined;
  }

  /** Ends the subscription here: nothing more is delivered or committed. */
  end(error: unknown): void {
    this.active = false;
    this.catchUp?.leave(this);
    this.catchUp = undefined;
    this.commits.clear();
    this.settle(undefined, error);
  }

  settle(info: SubscribedInfo | undefined, error?: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    const resolve = this.#resolve!;
    const reject = this.#reject!;
    this.#resolve = undefined;
    this.#reject = undefined;
    if (info !== undefined) resolve(info);
    else reject(error);
  }
}

/** Where a subscription's cursor moves (the dispatcher: it writes cursors once per burst). */
export interface Committer {
  commit(sub: Subscription, seq: number): void;
}

/** What a subscription knows of the catch-up it waits for. */
export interface CatchUpLike {
  hold(sub: Subscription, raw: RawEvent): void;
  answered(sub: Subscription, lastSeq: number): void;
  cancel(): void;
  leave(sub: Subscription): void;
}

/** The recently delivered seqs of an account with several subscriptions (see `joinWindow`). */
export interface DedupeWindow {
  subs: number;
  /** Made on first use: an account with one subscription keeps nothing. */
  seen: Set<number> | undefined;
  order: number[] | undefined;
}

/** `acct|call.*,sms.delivered`: stable across restarts for the same account and patterns. */
export function defaultCursorKey(accountId: string | undefined, types: readonly string[]): string {
  return `${accountId ?? 'default'}|${[...types].sort().join(',')}`;
}
