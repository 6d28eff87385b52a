import { CommitQueue } from './commit-queue.js';

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

/** A held live event, while a REST backfill fills the gap before it. */
export interface RawEvent {
  seq: number;
  type: string;
  [field: string]: unknown;
}

export interface BackfillState {
  abort: AbortController;
  held: RawEvent[];
}

/** The client-side state of one subscription; it outlives connections. */
export class Subscription {
  readonly key: string;
  readonly types: readonly string[];
  readonly requestedAccount: string | undefined;
  readonly dedupeKey: string;
  serverAccount: string | undefined;
  /** Highest seq accepted into the pipeline: duplicates are dropped against it, resubscribes resume after it. */
  received: number | undefined;
  /** Highest seq every consumer finished with, in order: what the cursor store gets. */
  committed: number | undefined;
  /** The server's id on the current connection. */
  serverId: string | undefined;
  /** The id of a subscribe frame awaiting its answer. */
  requestId: string | undefined;
  /** `after_seq` of the subscribe frame in flight. */
  requestedAfter: number | undefined;
  /** Events up to this seq are replays of the current subscribe. */
  replayUntil = 0;
  active = true;
  loaded = false;
  backfill: BackfillState | undefined;
  readonly commits: CommitQueue;
  /** What `subscribe()` returned. */
  handle!: SubscriptionHandle;
  readonly ready: Promise<SubscribedInfo>;
  resolveReady!: (info: SubscribedInfo) => void;
  rejectReady!: (error: unknown) => void;
  settled = false;

  constructor(options: {
    key: string;
    types: readonly string[];
    accountId: string | undefined;
    onCommit: (sub: Subscription, seq: number) => void;
  }) {
    this.key = options.key;
    this.types = options.types;
    this.requestedAccount = options.accountId;
    this.dedupeKey = options.accountId ?? '';
    this.commits = new CommitQueue((seq) => options.onCommit(this, seq));
    this.ready = new Promise<SubscribedInfo>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody has to await `ready`; a refusal is also reported through onError.
    this.ready.catch(() => {});
  }

  settle(info: SubscribedInfo | undefined, error?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (info !== undefined) this.resolveReady(info);
    else this.rejectReady(error);
  }

  cancelBackfill(): void {
    this.backfill?.abort.abort();
    this.backfill = undefined;
  }
}

/** `acct|call.*,sms.delivered`: stable across restarts for the same account and patterns. */
export function defaultCursorKey(accountId: string | undefined, types: readonly string[]): string {
  return `${accountId ?? 'default'}|${[...types].sort().join(',')}`;
}
