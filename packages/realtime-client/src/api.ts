import type { AuthStrategy, FetchLike } from '@callwire/auth-core';
import type { LenientEventResult } from '@callwire/types';
import type { BackoffOptions } from './backoff.js';
import type { CursorStore } from './cursor-store.js';
import type { EventsOptions } from './event-stream.js';
import type { EventForPattern, EventHandler, KnownEventPattern, UnknownEventNotice } from './event-types.js';
import type { RealtimeLogger } from './logger.js';
import type { SubscribeOptions, SubscriptionHandle } from './subscription.js';
import type { RealtimeTimers } from './timers.js';
import type { WebSocketConstructor } from './websocket.js';

/** Where the connection is: not started, connecting, open (authenticated), waiting to reconnect, or closed for good. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** How often the client checks that the socket is alive. */
export interface HeartbeatOptions {
  /**
   * The server's ping interval, ms; the client also sends `{type:"ping"}` this often.
   * @default 25000
   */
  interval?: number;
  /**
   * Extra silence tolerated past the interval before the link counts as dead, ms. The link is
   * dropped at most 1 s after that deadline (frames are timed to within a second), never before it.
   * @default 10000
   */
  tolerance?: number;
}

/** The options of {@link createRealtimeClient}. */
export interface RealtimeClientOptions {
  /** The websocket endpoint, e.g. `ws://127.0.0.1:8787/ws`. Never put a token in it. */
  url: string;
  /** An auth-core strategy: `token()` for the socket, `refresh()` after 4401, `authorize()` for backfill. */
  auth: AuthStrategy;
  /**
   * Default account for `subscribe()`.
   * @default the strategy's bound account, else the token's
   */
  accountId?: string;
  /**
   * A WebSocket constructor.
   * @default the global `WebSocket` (browsers, Node 22+)
   */
  WebSocket?: WebSocketConstructor;
  /**
   * Where cursors are kept. Give a persistent one to resume after a restart.
   * @default an in-memory store
   */
  cursorStore?: CursorStore;
  /**
   * Reconnect delays.
   * @default full jitter from 500 ms up to 20 s, reset after 5 s connected
   */
  backoff?: BackoffOptions;
  /**
   * Liveness checks.
   * @default `{ interval: 25000, tolerance: 10000 }`
   */
  heartbeat?: HeartbeatOptions;
  /**
   * Where the client logs (secrets redacted).
   * @default no logging
   */
  logger?: RealtimeLogger;
  /**
   * The REST API root for backfills.
   * @default derived from `url` (`ws://h/ws` → `http://h`)
   */
  baseUrl?: string;
  /**
   * The fetch used for backfills.
   * @default the global `fetch`
   */
  fetch?: FetchLike;
  /**
   * Checks each event's payload against the schema of its type before a handler sees it: pass
   * `parseEventLenient` from `@callwire/types`. An event that fails goes to `onUnknown` instead of
   * the handlers. Without it, events of a known type are delivered as the server sent them, and an
   * app bundles none of the event schemas.
   * @default no validation
   */
  validate?: (event: unknown) => LenientEventResult;
  /**
   * Events held between the socket and the consumers. When slow consumers let the queue grow past
   * it, the client closes the socket and resumes from its cursor once the queue has drained to half:
   * memory stays bounded, nothing is lost.
   * @default 10000
   */
  maxQueue?: number;
  /**
   * Clock and timers; injectable for tests.
   * @default `Date.now` and the global `setTimeout`
   */
  timers?: RealtimeTimers;
}

/** A change of {@link ConnectionState}, with the error that closed the client for good, if any. */
export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  /** For `reconnecting`: the close code of the socket that went away, and the delay before the next try. */
  code?: number;
  delay?: number;
  /** For `closed` after a fatal error. */
  error?: unknown;
}

/** Why events are missing: the server no longer kept them for the socket (`not_retained`, then fetched over REST), its history went backwards (`history_reset`), or not even REST has them (`lost`). */
export type GapReason = 'not_retained' | 'history_reset' | 'lost';

/**
 * The server could not replay a subscription's gap (`recovered: false`). `not_retained`: the client
 * backfills `(afterSeq, lastSeq]` over REST and merges by seq. `lost`: the REST backfill found events
 * no longer retained (`missing` says which seqs). `history_reset`: the server's seqs went backwards
 * (its data was reset); the cursor restarts from `lastSeq`.
 */
export interface GapNotice {
  reason: GapReason;
  subscription: SubscriptionHandle;
  accountId: string | undefined;
  afterSeq: number;
  lastSeq: number;
  missing?: { from: number; to: number };
}

/** Counters of what the client did, for dashboards and tests. */
export interface RealtimeMetrics {
  state: ConnectionState;
  /** Successful authentications; `reconnects` counts those after the first. */
  connects: number;
  reconnects: number;
  /** Events accepted from the socket or a backfill (after duplicate removal). */
  received: number;
  /** Events handed to consumers. */
  delivered: number;
  /** Events the server replayed after a resubscribe with `after_seq`. */
  replayed: number;
  duplicatesDropped: number;
  gaps: number;
  /**
   * Events fetched over REST: a gap the server could not replay, and the catch-up of several
   * subscriptions of one account after a reconnect (fetched together so they arrive in seq order).
   */
  backfilled: number;
  /** Events that did not match this version's schema (delivered to `onUnknown`). */
  unknown: number;
  /** Events discarded by `drop-oldest` iterators. */
  dropped: number;
  /** Times the socket was closed because consumers fell `maxQueue` events behind. */
  sheds: number;
  /** Events waiting for consumers now, and the most ever. */
  queued: number;
  maxQueued: number;
  /** Last measured `ping` → `pong` round trip, ms. */
  roundTripTime: number | undefined;
}

/** A websocket client that delivers every event of its subscriptions exactly once, in order. */
export interface RealtimeClient {
  readonly state: ConnectionState;
  /** Opens the connection (also done by the first `subscribe()`); resolves once authenticated. */
  connect(): Promise<void>;
  /**
   * Subscribes to event patterns. Works before the connection is authenticated (the subscribe is sent
   * once it is) and survives reconnects: each reconnect resubscribes with `after_seq` = the last seq
   * received, so nothing is lost and duplicates are dropped.
   */
  subscribe<P extends KnownEventPattern | (string & {})>(
    types: readonly P[],
    options?: SubscribeOptions,
  ): SubscriptionHandle;
  /** Calls `handler` for each event the pattern selects, in seq order, awaiting it. Returns `off`. */
  on<P extends KnownEventPattern | (string & {})>(
    pattern: P,
    handler: EventHandler<EventForPattern<P>>,
  ): () => void;
  /** A bounded async iterator over events (see `EventsOptions.overflow` for what happens when it is full). */
  events<P extends KnownEventPattern | (string & {})>(
    options?: EventsOptions<P>,
  ): AsyncIterableIterator<EventForPattern<P>>;
  /** Calls `listener` on every change of connection state; returns the unsubscribe function. */
  onState(listener: (change: StateChange) => void): () => void;
  /** Calls `listener` when events are missing and why; returns the unsubscribe function. */
  onGap(listener: (gap: GapNotice) => void): () => void;
  /** Errors that do not stop the client (a throwing handler, a failed backfill) and the fatal one. */
  onError(listener: (error: unknown) => void): () => void;
  /** Calls `listener` with each event this version does not know, or that failed validation; returns the unsubscribe function. */
  onUnknown(listener: (notice: UnknownEventNotice) => void): () => void;
  /** What the client did so far. */
  metrics(): RealtimeMetrics;
  /** Closes the socket and removes every listener and timer. The client cannot be used afterwards. */
  dispose(): void;
  /** `dispose()`, then waits for cursor writes in flight. */
  close(): Promise<void>;
}
