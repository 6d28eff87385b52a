import {
  type AuthStrategy,
  CallwireError,
  type FetchLike,
  isCallwireError,
  PermissionError,
} from '@callwire/auth-core';
import {
  type CallwireEvent,
  EVENT_TYPES,
  isEventPattern,
  type LenientEventResult,
  matchesAnyEventPattern,
  WS_CLOSE,
} from '@callwire/types';
import { type BackfillRequest, baseUrlFromWsUrl, fetchEventPage } from './backfill.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { release, type Ticket } from './commit-queue.js';
import { type CursorStore, CursorWriter, createMemoryCursorStore } from './cursor-store.js';
import { disposedError, forbiddenError, subscribeError, unauthenticatedError } from './errors.js';
import { EventStream, type EventsOptions } from './event-stream.js';
import type { EventForPattern, EventHandler, KnownEventPattern, UnknownEventNotice } from './event-types.js';
import { createLog, type Log, type RealtimeLogger } from './logger.js';
import {
  defaultCursorKey,
  type RawEvent,
  type SubscribedInfo,
  type SubscribeOptions,
  Subscription,
  type SubscriptionHandle,
} from './subscription.js';
import { defaultTimers, type RealtimeTimers, Timer } from './timers.js';
import {
  type CloseEventLike,
  type MessageEventLike,
  OPEN,
  resolveWebSocket,
  type SocketListener,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket.js';
import { authExpiry, readSubscribed } from './wire-checks.js';

/** Where the connection is: not started, connecting, open (authenticated), waiting to reconnect, or closed for good. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** How often the client checks that the socket is alive. */
export interface HeartbeatOptions {
  /**
   * The server's ping interval, ms (default 25 000); the client also sends `{type:"ping"}` this often.
   * @defaultValue 25 000
   */
  interval?: number;
  /**
   * Extra silence tolerated past the interval before the link counts as dead, ms (default 10 000).
   * @defaultValue 10 000
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
   * Default account for `subscribe()`; else the strategy's bound account, else the token's.
   * @defaultValue the strategy's bound account, else the token's
   */
  accountId?: string;
  /**
   * A WebSocket constructor; default the global one (browsers, Node 22+).
   * @defaultValue the global `WebSocket`
   */
  WebSocket?: WebSocketConstructor;
  /**
   * Where cursors are kept; default in memory. Give a persistent one to resume after a restart.
   * @defaultValue an in-memory store
   */
  cursorStore?: CursorStore;
  /**
   * How long to wait between reconnects.
   * @defaultValue `{ initial: 500, max: 20000, stableAfter: 5000 }`
   */
  backoff?: BackoffOptions;
  /**
   * How the client notices a dead connection.
   * @defaultValue `{ interval: 25000, tolerance: 10000 }`
   */
  heartbeat?: HeartbeatOptions;
  /**
   * Where the client reports connections, gaps and malformed frames; every line is redacted.
   * @defaultValue none: nothing is logged
   */
  logger?: RealtimeLogger;
  /**
   * The REST API root for backfills; default derived from `url` (`ws://h/ws` → `http://h`).
   * @defaultValue derived from `url`
   */
  baseUrl?: string;
  /**
   * The `fetch` used for backfills over REST.
   * @defaultValue the global `fetch`
   */
  fetch?: FetchLike;
  /**
   * Checks each event's payload against the schema of its type before a handler sees it: pass
   * `parseEventLenient` from `@callwire/types`. An event that fails goes to `onUnknown` instead of
   * the handlers. Without it, events of a known type are delivered as the server sent them, and an
   * app bundles none of the event schemas.
   * @defaultValue no validation
   */
  validate?: (event: unknown) => LenientEventResult;
  /**
   * Events held between the socket and the consumers (default 10 000). When slow consumers let the
   * queue grow past it, the client closes the socket and resumes from its cursor once the queue has
   * drained to half: memory stays bounded, nothing is lost.
   * @defaultValue 10 000
   */
  maxQueue?: number;
  /**
   * Clock and timers; injectable for tests.
   * @defaultValue the global clock and timers
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

interface Consumers {
  handlers: EventHandler<CallwireEvent>[];
  streams: EventStream<CallwireEvent>[];
}

interface QueueItem {
  sub: Subscription;
  raw: RawEvent;
}

interface SocketListeners {
  open: () => void;
  message: (event: MessageEventLike) => void;
  close: (event: CloseEventLike) => void;
  error: () => void;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const CLIENT_CLOSE = 4000;
const BACKFILL_TAKE = 1000;
const DEDUPE_WINDOW = 10_000;
const MAX_TIMER = 2 ** 31 - 1;
const MIN_TOKEN_AGE = 5_000;
/** Error-frame codes the server sends right before closing the socket (4400/4401/4403). */
const CLOSE_BOUND_CODES: ReadonlySet<string> = new Set([
  'unauthenticated',
  'token_expired',
  'token_revoked',
  'invalid_token',
  'forbidden',
  'api_access_disabled',
  'user_disabled',
  'bad_message',
  'payload_too_large',
]);
const NO_CONSUMERS: Consumers = { handlers: [], streams: [] };

function positiveInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer`);
  }
  return value;
}

function validateUrl(url: unknown): string {
  if (typeof url !== 'string' || !URL.canParse(url)) {
    throw new TypeError('url must be an absolute websocket URL such as ws://127.0.0.1:8787/ws');
  }
  const parsed = new URL(url);
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new TypeError('url must be ws: or wss:');
  for (const name of ['token', 'jwt', 'bearer', 'access_token']) {
    // Tokens in URLs end up in logs; the server refuses them, so refuse early.
    if (parsed.searchParams.has(name))
      throw new TypeError('url must not carry a token: the client sends it in a message');
  }
  if (parsed.username !== '' || parsed.password !== '') throw new TypeError('url must not carry credentials');
  return url;
}

/** Errors a retry cannot fix: refused credentials, a forbidden principal, a disposed strategy. */
function isFatal(error: unknown): boolean {
  if (!isCallwireError(error)) return false;
  if (
    ['AuthenticationError', 'PermissionError', 'AccountRequiredError', 'ValidationError'].includes(error.name)
  ) {
    return true;
  }
  if (error.code === 'disposed') return true;
  const status = error.status;
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

class Client implements RealtimeClient {
  readonly #url: string;
  readonly #auth: AuthStrategy;
  readonly #accountId: string | undefined;
  readonly #WebSocket: WebSocketConstructor;
  readonly #cursors: CursorWriter;
  readonly #store: CursorStore;
  readonly #backoff: Backoff;
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #log: Log;
  readonly #baseUrl: string;
  readonly #fetch: FetchLike | undefined;
  readonly #validate: ((event: unknown) => LenientEventResult) | undefined;
  readonly #maxQueue: number;
  readonly #timers: RealtimeTimers;

  #state: ConnectionState = 'idle';
  #disposed = false;
  #fatal: unknown;
  #everOpened = false;

  // ---- the one socket ----
  #ws: WebSocketLike | undefined;
  #listeners: SocketListeners | undefined;
  /** Bumped whenever the current attempt is abandoned; async steps of older attempts stop. */
  #generation = 0;
  #opening = false;
  #authenticated = false;
  #token: string | undefined;
  #pendingToken: string | undefined;
  #authFailure: { code: string; message: string } | undefined;
  #authRetried = false;
  #rejectedToken: string | undefined;
  #openedAt = 0;
  #lastFrameAt = 0;
  #nextPingAt = 0;
  #pingId: string | undefined;
  #pingSentAt = 0;
  #pingSeq = 0;
  #reauthing: Promise<void> | undefined;
  /** When the token in use was accepted (auth or reauth), and when the reauth timer is due. */
  #tokenSince = 0;
  #reauthAt = Number.POSITIVE_INFINITY;
  #shed = false;
  readonly #heartbeat: Timer;
  readonly #retry: Timer;
  readonly #reauthTimer: Timer;
  #authOff: (() => void) | undefined;
  #waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  // ---- subscriptions and consumers ----
  readonly #subs = new Set<Subscription>();
  readonly #byServerId = new Map<string, Subscription>();
  readonly #requests = new Map<string, Subscription>();
  #requestSeq = 0;
  readonly #handlers: { pattern: string; handler: EventHandler<CallwireEvent> }[] = [];
  readonly #streams = new Set<EventStream<CallwireEvent>>();
  #consumers = new Map<string, Consumers>();
  readonly #dedupe = new Map<string, { subs: number; seen: Set<number>; order: number[] }>();
  readonly #stateListeners = new Set<(change: StateChange) => void>();
  readonly #gapListeners = new Set<(gap: GapNotice) => void>();
  readonly #errorListeners = new Set<(error: unknown) => void>();
  readonly #unknownListeners = new Set<(notice: UnknownEventNotice) => void>();

  // ---- the dispatch queue ----
  #queue: (QueueItem | undefined)[] = [];
  #head = 0;
  #pumping = false;
  readonly #dirty = new Set<Subscription>();
  #roomWaiters: (() => void)[] = [];

  readonly #metrics = {
    connects: 0,
    reconnects: 0,
    received: 0,
    delivered: 0,
    replayed: 0,
    duplicatesDropped: 0,
    gaps: 0,
    backfilled: 0,
    unknown: 0,
    dropped: 0,
    sheds: 0,
    maxQueued: 0,
    roundTripTime: undefined as number | undefined,
  };

  constructor(options: RealtimeClientOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('createRealtimeClient expects an options object');
    }
    this.#url = validateUrl(options.url);
    const auth = options.auth;
    if (
      typeof auth !== 'object' ||
      auth === null ||
      typeof auth.token !== 'function' ||
      typeof auth.refresh !== 'function' ||
      typeof auth.authorize !== 'function'
    ) {
      throw new TypeError(
        'auth must be an auth strategy from @callwire/auth-core (token, refresh, authorize)',
      );
    }
    this.#auth = auth;
    if (
      options.accountId !== undefined &&
      (typeof options.accountId !== 'string' || options.accountId === '')
    ) {
      throw new TypeError('accountId must be an account uuid');
    }
    this.#accountId = options.accountId ?? auth.accountId;
    this.#WebSocket = resolveWebSocket(options.WebSocket);
    this.#store = options.cursorStore ?? createMemoryCursorStore();
    if (typeof this.#store.get !== 'function' || typeof this.#store.set !== 'function') {
      throw new TypeError('cursorStore must have get(key) and set(key, seq)');
    }
    this.#log = createLog(options.logger);
    this.#cursors = new CursorWriter(this.#store, (error) => {
      this.#log('warn', 'Writing a cursor failed; events continue', { message: String(error) });
    });
    this.#backoff = new Backoff(options.backoff);
    this.#interval = positiveInt(options.heartbeat?.interval ?? 25_000, 'heartbeat.interval');
    this.#tolerance = positiveInt(options.heartbeat?.tolerance ?? 10_000, 'heartbeat.tolerance');
    this.#baseUrl = (options.baseUrl ?? baseUrlFromWsUrl(this.#url))
      .replace(/\/+$/, '')
      .replace(/\/rest$/, '');
    this.#fetch = options.fetch;
    if (this.#fetch !== undefined && typeof this.#fetch !== 'function')
      throw new TypeError('fetch must be a function');
    this.#validate = options.validate;
    if (this.#validate !== undefined && typeof this.#validate !== 'function')
      throw new TypeError('validate must be a function such as parseEventLenient from @callwire/types');
    this.#maxQueue = positiveInt(options.maxQueue ?? 10_000, 'maxQueue');
    this.#timers = options.timers ?? defaultTimers;
    this.#heartbeat = new Timer(this.#timers);
    this.#retry = new Timer(this.#timers);
    this.#reauthTimer = new Timer(this.#timers);
    if (typeof auth.onChange === 'function') {
      // A token renewed elsewhere (a REST call's refresh) is handed to the live socket at once, so it
      // never keeps, and later resumes with, a token the server is about to refuse.
      this.#authOff = auth.onChange(() => {
        if (this.#authenticated) void this.#reauth(false);
      });
    }
  }

  get state(): ConnectionState {
    return this.#state;
  }

  // ---- public API ------------------------------------------------------------------------------

  connect(): Promise<void> {
    if (this.#disposed) return Promise.reject(disposedError());
    if (this.#fatal !== undefined) return Promise.reject(this.#fatal);
    if (this.#authenticated) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#start();
    return promise;
  }

  subscribe<P extends string>(types: readonly P[], options: SubscribeOptions = {}): SubscriptionHandle {
    if (this.#disposed) throw disposedError();
    if (!Array.isArray(types) || types.length === 0)
      throw new TypeError('subscribe(types) needs at least one pattern');
    for (const type of types) {
      if (!isEventPattern(type)) {
        throw new TypeError(
          `"${String(type).slice(0, 64)}" is not an event pattern (call.hangup, call.*, *)`,
        );
      }
    }
    if (options.afterSeq !== undefined && (!Number.isSafeInteger(options.afterSeq) || options.afterSeq < 0)) {
      throw new TypeError('afterSeq must be a seq (an integer >= 0)');
    }
    const accountId = options.accountId ?? this.#accountId;
    const key = options.key ?? defaultCursorKey(accountId, types);
    const sub = new Subscription({
      key,
      types: [...types],
      accountId,
      onCommit: (s, seq) => this.#commit(s, seq),
    });
    this.#subs.add(sub);
    const window = this.#dedupe.get(sub.dedupeKey);
    if (window === undefined) this.#dedupe.set(sub.dedupeKey, { subs: 1, seen: new Set(), order: [] });
    else window.subs += 1;

    if (options.afterSeq !== undefined) {
      sub.received = options.afterSeq;
      sub.committed = options.afterSeq;
      sub.loaded = true;
    } else {
      this.#loadCursor(sub);
    }
    if (this.#fatal !== undefined) sub.settle(undefined, this.#fatal);
    else this.#start();
    this.#sendSubscribe(sub);
    sub.handle = {
      key,
      types: sub.types,
      get accountId() {
        return sub.serverAccount ?? sub.requestedAccount;
      },
      get cursor() {
        return sub.committed;
      },
      ready: sub.ready,
      unsubscribe: () => {
        this.#unsubscribe(sub);
        return Promise.resolve();
      },
    };
    return sub.handle;
  }

  on<P extends string>(pattern: P, handler: EventHandler<EventForPattern<P>>): () => void {
    if (this.#disposed) throw disposedError();
    if (!isEventPattern(pattern)) throw new TypeError(`"${pattern}" is not an event pattern`);
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    const entry = { pattern, handler: handler as EventHandler<CallwireEvent> };
    this.#handlers.push(entry);
    this.#consumers.clear();
    return () => {
      const index = this.#handlers.indexOf(entry);
      if (index === -1) return;
      this.#handlers.splice(index, 1);
      this.#consumers.clear();
    };
  }

  events<P extends string>(options: EventsOptions<P> = {}): AsyncIterableIterator<EventForPattern<P>> {
    if (this.#disposed) throw disposedError();
    for (const type of options.types ?? []) {
      if (!isEventPattern(type)) throw new TypeError(`"${type}" is not an event pattern`);
    }
    const stream = new EventStream<CallwireEvent>(
      {
        detach: (s) => {
          if (this.#streams.delete(s as EventStream<CallwireEvent>)) this.#consumers.clear();
        },
        onDropped: () => {
          this.#metrics.dropped += 1;
        },
      },
      options,
    );
    if (this.#fatal !== undefined) stream.end(this.#fatal);
    else if (!stream.ended) {
      this.#streams.add(stream);
      this.#consumers.clear();
    }
    return stream as unknown as AsyncIterableIterator<EventForPattern<P>>;
  }

  onState(listener: (change: StateChange) => void): () => void {
    return this.#addListener(this.#stateListeners, listener);
  }

  onGap(listener: (gap: GapNotice) => void): () => void {
    return this.#addListener(this.#gapListeners, listener);
  }

  onError(listener: (error: unknown) => void): () => void {
    return this.#addListener(this.#errorListeners, listener);
  }

  onUnknown(listener: (notice: UnknownEventNotice) => void): () => void {
    return this.#addListener(this.#unknownListeners, listener);
  }

  metrics(): RealtimeMetrics {
    return { state: this.#state, ...this.#metrics, queued: this.#queue.length - this.#head };
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#flushCursors();
    this.#disposed = true;
    this.#generation += 1;
    this.#abandonSocket(1000, 'client disposed');
    this.#retry.clear();
    this.#heartbeat.clear();
    this.#reauthTimer.clear();
    this.#authOff?.();
    this.#authOff = undefined;
    const error = disposedError();
    for (const sub of this.#subs) {
      sub.active = false;
      sub.cancelBackfill();
      sub.commits.clear();
      sub.settle(undefined, error);
    }
    this.#subs.clear();
    this.#byServerId.clear();
    this.#requests.clear();
    this.#dedupe.clear();
    for (const stream of [...this.#streams]) stream.end();
    this.#streams.clear();
    this.#handlers.length = 0;
    this.#consumers.clear();
    this.#queue = [];
    this.#head = 0;
    for (const wake of this.#roomWaiters.splice(0)) wake();
    this.#rejectWaiters(error);
    this.#setState('closed');
    this.#stateListeners.clear();
    this.#gapListeners.clear();
    this.#errorListeners.clear();
    this.#unknownListeners.clear();
  }

  async close(): Promise<void> {
    this.dispose();
    await this.#cursors.flushed();
  }

  // ---- connection lifecycle --------------------------------------------------------------------

  #start(): void {
    if (this.#disposed || this.#fatal !== undefined) return;
    if (this.#ws !== undefined || this.#opening || this.#retry.armed || this.#shed) return;
    void this.#open();
  }

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    this.#opening = true;
    if (this.#state !== 'reconnecting') this.#setState(this.#everOpened ? 'reconnecting' : 'connecting');
    let token: string;
    try {
      token = await this.#freshToken();
    } catch (error) {
      if (generation !== this.#generation || this.#disposed) return;
      this.#opening = false;
      if (isFatal(error)) {
        this.#fail(error);
        return;
      }
      this.#log('warn', 'Getting a token failed; retrying', { message: String(error) });
      this.#emitError(error);
      this.#scheduleRetry(undefined);
      return;
    }
    if (generation !== this.#generation || this.#disposed) return;
    this.#opening = false;
    let ws: WebSocketLike;
    try {
      ws = new this.#WebSocket(this.#url);
    } catch (error) {
      this.#fail(error);
      return;
    }
    const listeners: SocketListeners = {
      open: () => this.#onOpen(ws),
      message: (event) => this.#onMessage(ws, event),
      close: (event) => this.#onClose(ws, event),
      // `error` is always followed by `close` (WHATWG): reconnecting from both would leave two sockets.
      error: () => this.#log('debug', 'websocket error; waiting for close'),
    };
    ws.addEventListener('open', listeners.open as SocketListener);
    ws.addEventListener('message', listeners.message as SocketListener);
    ws.addEventListener('close', listeners.close as SocketListener);
    ws.addEventListener('error', listeners.error as SocketListener);
    this.#ws = ws;
    this.#listeners = listeners;
    this.#token = token;
    this.#authFailure = undefined;
    this.#lastFrameAt = this.#timers.now();
    this.#checkHeartbeat();
  }

  /** A token for the next socket; never the one the server just refused (refresh first, once). */
  async #freshToken(): Promise<string> {
    let token = await this.#auth.token();
    if (token === this.#rejectedToken) {
      const renewed = await this.#auth.refresh({ rejected: token });
      if (renewed) token = await this.#auth.token();
      if (!renewed || token === this.#rejectedToken) {
        throw unauthenticatedError(
          this.#authFailure?.code,
          'The server refused the token (4401) and the auth strategy cannot renew it',
        );
      }
    }
    if (typeof token !== 'string' || token.length === 0)
      throw new TypeError('auth.token() returned no token');
    return token;
  }

  #onOpen(ws: WebSocketLike): void {
    if (ws !== this.#ws) return;
    this.#lastFrameAt = this.#timers.now();
    this.#send({ type: 'auth', token: this.#token });
  }

  #onClose(ws: WebSocketLike, event: CloseEventLike): void {
    if (ws !== this.#ws) return;
    this.#detach();
    this.#socketGone(typeof event.code === 'number' ? event.code : 1006, event.reason ?? '');
  }

  /** Stops listening to the current socket and closes it; the caller decides what comes next. */
  #abandonSocket(code: number, reason: string): void {
    const ws = this.#ws;
    if (ws === undefined) return;
    this.#detach();
    try {
      ws.close(code, reason);
    } catch {
      // Already closing; nothing to do.
    }
  }

  #detach(): void {
    const ws = this.#ws;
    const listeners = this.#listeners;
    this.#ws = undefined;
    this.#listeners = undefined;
    if (ws === undefined || listeners === undefined) return;
    ws.removeEventListener('open', listeners.open as SocketListener);
    ws.removeEventListener('message', listeners.message as SocketListener);
    ws.removeEventListener('close', listeners.close as SocketListener);
    ws.removeEventListener('error', listeners.error as SocketListener);
  }

  /** Ends the current socket on our side (dead link, shedding load, failed backfill) and reacts as to a close. */
  #drop(code: number, reason: string): void {
    if (this.#ws === undefined) return;
    this.#abandonSocket(code, reason);
    this.#socketGone(code, reason);
  }

  #socketGone(code: number, reason: string): void {
    const wasAuthenticated = this.#authenticated;
    const usedToken = this.#token;
    this.#authenticated = false;
    this.#pendingToken = undefined;
    this.#pingId = undefined;
    this.#heartbeat.clear();
    this.#reauthTimer.clear();
    this.#reauthAt = Number.POSITIVE_INFINITY;
    this.#byServerId.clear();
    this.#requests.clear();
    for (const sub of this.#subs) {
      sub.serverId = undefined;
      sub.requestId = undefined;
      // Held live events are dropped with the socket: `received` never moved past them, so the
      // resubscribe replays them.
      sub.cancelBackfill();
    }
    if (this.#disposed || this.#fatal !== undefined) return;
    const now = this.#timers.now();
    if (wasAuthenticated && now - this.#openedAt >= this.#backoff.stableAfter) this.#backoff.reset();
    this.#log('debug', 'websocket closed', { code, reason });

    if (code === WS_CLOSE.forbidden) {
      this.#fail(
        forbiddenError(this.#authFailure?.code, this.#authFailure?.message ?? (reason || undefined)),
      );
      return;
    }
    if (code === WS_CLOSE.unauthenticated) {
      if (this.#authRetried) {
        this.#fail(
          unauthenticatedError(this.#authFailure?.code, this.#authFailure?.message ?? (reason || undefined)),
        );
        return;
      }
      // Refresh once and reconnect at once; a second 4401 in a row is final.
      this.#authRetried = true;
      this.#rejectedToken = usedToken;
      this.#scheduleRetry(code, 0);
      return;
    }
    if (code === WS_CLOSE.badMessage) {
      // The server did not understand us: a bug worth reporting, then try again like any drop.
      this.#emitError(
        new CallwireError({
          code: this.#authFailure?.code ?? 'bad_message',
          message:
            this.#authFailure?.message ?? (reason || 'The server closed the socket: bad message (4400)'),
        }),
      );
    }
    if (this.#shed) {
      this.#setState('reconnecting', { code });
      return;
    }
    this.#scheduleRetry(code, undefined);
  }

  #scheduleRetry(code: number | undefined, delay?: number): void {
    // 4429: the server has too many of our connections; start further out.
    const wait = delay ?? this.#backoff.next(code === WS_CLOSE.tooMany ? 5_000 : 0);
    this.#setState('reconnecting', { ...(code === undefined ? {} : { code }), delay: wait });
    this.#retry.set(wait, () => this.#start());
  }

  #fail(error: unknown): void {
    if (this.#fatal !== undefined || this.#disposed) return;
    this.#fatal = error;
    this.#generation += 1;
    this.#opening = false;
    this.#abandonSocket(1000, 'fatal error');
    this.#authenticated = false;
    this.#retry.clear();
    this.#heartbeat.clear();
    this.#reauthTimer.clear();
    this.#log('error', 'Realtime client stopped', {
      code: isCallwireError(error) ? error.code : undefined,
      message: error instanceof Error ? error.message : String(error),
    });
    for (const sub of this.#subs) {
      sub.cancelBackfill();
      sub.settle(undefined, error);
    }
    for (const stream of [...this.#streams]) stream.end(error);
    this.#rejectWaiters(error);
    this.#emitError(error);
    this.#setState('closed', { error });
  }

  #rejectWaiters(error: unknown): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  // ---- heartbeat -------------------------------------------------------------------------------

  /**
   * One timer, re-armed for the sooner of the next ping and the liveness deadline, all kept as
   * timestamps and re-read when the timer fires. Before auth, the socket must speak within
   * interval + tolerance. After it, the link counts as dead after interval + tolerance of silence
   * (any frame counts) *and* a ping of ours unanswered for `tolerance`: the second condition runs
   * from when the ping actually left, so a timer that a background tab held back for a minute
   * cannot condemn a healthy but quiet link; it pings on waking and decides `tolerance` later.
   */
  #checkHeartbeat(): void {
    if (this.#ws === undefined) return;
    const now = this.#timers.now();
    if (!this.#authenticated) {
      const deadline = this.#lastFrameAt + this.#interval + this.#tolerance;
      if (now >= deadline) {
        this.#log('warn', 'The server did not complete the handshake in time; reconnecting');
        this.#drop(CLIENT_CLOSE, 'handshake timeout');
        return;
      }
      this.#heartbeat.set(Math.min(MAX_TIMER, deadline - now), () => this.#checkHeartbeat());
      return;
    }
    const silentUntil = this.#lastFrameAt + this.#interval + this.#tolerance;
    let unanswered = this.#pingSentAt > 0 && this.#lastFrameAt < this.#pingSentAt;
    if (unanswered && now >= Math.max(this.#pingSentAt + this.#tolerance, silentUntil)) {
      this.#log('warn', 'No frame from the server since our ping; reconnecting', {
        silentMs: now - this.#lastFrameAt,
      });
      this.#drop(CLIENT_CLOSE, 'heartbeat timeout');
      return;
    }
    if (!unanswered && now >= this.#nextPingAt) {
      // Browsers cannot see websocket ping frames, so liveness and round-trip time use app pings.
      this.#pingId = `p${++this.#pingSeq}`;
      this.#pingSentAt = now;
      this.#nextPingAt = now + this.#interval;
      this.#send({ type: 'ping', id: this.#pingId });
      unanswered = true;
    }
    const deadAt = Math.max(this.#pingSentAt + this.#tolerance, silentUntil);
    const wake = unanswered ? Math.min(deadAt, this.#nextPingAt) : this.#nextPingAt;
    this.#heartbeat.set(Math.min(MAX_TIMER, Math.max(0, wake - now)), () => this.#checkHeartbeat());
  }

  // ---- frames ----------------------------------------------------------------------------------

  #send(frame: Record<string, unknown>): boolean {
    const ws = this.#ws;
    if (ws === undefined || ws.readyState !== OPEN) return false;
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch (error) {
      this.#log('warn', 'Sending a frame failed', { type: frame.type, message: String(error) });
      return false;
    }
  }

  #onMessage(ws: WebSocketLike, event: MessageEventLike): void {
    if (ws !== this.#ws) return;
    // Any frame proves the link is alive.
    this.#lastFrameAt = this.#timers.now();
    const data = event.data;
    if (typeof data !== 'string') {
      this.#log('warn', 'Ignoring a binary frame');
      return;
    }
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      this.#log('warn', 'Ignoring a frame that is not JSON');
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    switch (message.type) {
      case 'event':
        this.#onEvent(message);
        return;
      case 'auth':
      case 'authresponse':
        this.#onAuth(message);
        return;
      case 'subscribed':
        this.#onSubscribed(message);
        return;
      case 'unsubscribed':
        this.#onUnsubscribed(message);
        return;
      case 'reauth':
        this.#onReauthResult(message);
        return;
      case 'token_expiring':
        this.#onTokenExpiring();
        return;
      case 'pong':
        if (message.id !== undefined && message.id === this.#pingId) {
          this.#metrics.roundTripTime = this.#timers.now() - this.#pingSentAt;
          this.#pingId = undefined;
        }
        return;
      case 'error':
        this.#onErrorFrame(message);
        return;
      default:
        // A message type this version does not know: ignore it, never crash (forward compatibility).
        this.#log('debug', 'Ignoring an unknown message type', { type: String(message.type).slice(0, 64) });
    }
  }

  #onAuth(message: Record<string, unknown>): void {
    if (message.success !== true) {
      this.#authFailure = {
        code: typeof message.code === 'string' ? message.code : 'unauthenticated',
        message: typeof message.message === 'string' ? message.message : 'authentication refused',
      };
      return; // the close (4401/4403) follows and decides
    }
    const expiresOn = authExpiry(message.payload);
    this.#authenticated = true;
    this.#authRetried = false;
    this.#rejectedToken = undefined;
    const now = this.#timers.now();
    this.#openedAt = now;
    this.#nextPingAt = now + this.#interval;
    this.#pingSentAt = 0;
    this.#metrics.connects += 1;
    if (this.#everOpened) this.#metrics.reconnects += 1;
    this.#everOpened = true;
    this.#scheduleReauth(Number.isFinite(expiresOn) ? expiresOn : undefined);
    this.#checkHeartbeat();
    this.#setState('open');
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
    // Subscriptions made before the socket was authenticated (or before a reconnect) go out now.
    for (const sub of this.#subs) this.#sendSubscribe(sub);
  }

  // ---- tokens ----------------------------------------------------------------------------------

  /**
   * Reauth ahead of expiry. The server's `expires_on` is on the server's clock; when the strategy
   * exposes its session (`expiresAt` on the local clock, as auth-core's session strategy does), that
   * is used instead, so clock skew cannot make us late. `token_expiring` from the server (60 s before)
   * triggers the same path.
   */
  #scheduleReauth(serverExpiresOn: number | undefined): void {
    this.#reauthTimer.clear();
    this.#reauthAt = Number.POSITIVE_INFINITY;
    const now = this.#timers.now();
    this.#tokenSince = now;
    const session = (this.#auth as { session?: () => { token?: string; expiresAt?: number } | undefined })
      .session;
    let expiresAt: number | undefined;
    try {
      const record = typeof session === 'function' ? session.call(this.#auth) : undefined;
      if (record !== undefined && record.token === this.#token && typeof record.expiresAt === 'number') {
        expiresAt = record.expiresAt;
      }
    } catch {
      expiresAt = undefined;
    }
    // Without a local expiry, trust the server's timestamp with an extra 30 s for skew.
    if (expiresAt === undefined && serverExpiresOn !== undefined) expiresAt = serverExpiresOn - 30_000;

    if (expiresAt === undefined) return;
    const remaining = expiresAt - now;
    const at = expiresAt - Math.min(60_000, Math.max(0, remaining) / 2);
    this.#armReauth(at);
  }

  /**
   * The server warns 60 s before expiry. A token younger than a few seconds is not renewed at once:
   * with lifetimes at or under the warning window, every fresh token would be "expiring" on arrival
   * and each renewal would trigger the next. The renewal is deferred instead, never dropped.
   */
  #onTokenExpiring(): void {
    const earliest = this.#tokenSince + MIN_TOKEN_AGE;
    if (this.#timers.now() >= earliest) void this.#reauth(true);
    else if (earliest < this.#reauthAt) this.#armReauth(earliest);
  }

  #armReauth(at: number): void {
    this.#reauthAt = at;
    const delay = at - this.#timers.now();
    this.#reauthTimer.set(Math.min(MAX_TIMER, Math.max(0, delay)), () => {
      this.#reauthAt = Number.POSITIVE_INFINITY;
      if (this.#timers.now() < at) this.#armReauth(at);
      else void this.#reauth(true);
    });
  }

  /**
   * Hands the socket a newer token. `force`: ask the strategy to renew if it still has the token in use
   * (our timer or `token_expiring`); otherwise only a token that already changed is sent.
   */
  #reauth(force: boolean): Promise<void> {
    if (this.#reauthing !== undefined) return this.#reauthing;
    const run = async () => {
      const ws = this.#ws;
      const used = this.#pendingToken ?? this.#token;
      let token = await this.#auth.token();
      if (force && token === used) {
        const renewed = await this.#auth.refresh(used === undefined ? {} : { rejected: used });
        if (renewed) token = await this.#auth.token();
      }
      if (ws !== this.#ws || !this.#authenticated || token === used) return;
      this.#pendingToken = token;
      this.#send({ type: 'reauth', token });
    };
    this.#reauthing = run()
      .catch((error: unknown) => {
        if (this.#disposed) return;
        // Not fatal here: the server closes 4401 at expiry and the reconnect path refreshes once more.
        this.#log('warn', 'Renewing the socket token failed', { message: String(error) });
        this.#emitError(error);
      })
      .finally(() => {
        this.#reauthing = undefined;
      });
    return this.#reauthing;
  }

  #onReauthResult(message: Record<string, unknown>): void {
    const token = this.#pendingToken;
    this.#pendingToken = undefined;
    if (message.success === true) {
      if (token !== undefined) this.#token = token;
      const expiresOn = typeof message.expires_on === 'string' ? Date.parse(message.expires_on) : Number.NaN;
      this.#scheduleReauth(Number.isFinite(expiresOn) ? expiresOn : undefined);
      this.#log('debug', 'Socket token renewed');
      return;
    }
    this.#log('warn', 'The server refused the renewed token', { code: message.code });
    this.#emitError(
      new CallwireError({
        code: typeof message.code === 'string' ? message.code : 'reauth_failed',
        message: typeof message.message === 'string' ? message.message : 'reauth refused',
      }),
    );
  }

  // ---- subscriptions ---------------------------------------------------------------------------

  #loadCursor(sub: Subscription): void {
    let value: number | undefined | Promise<number | undefined>;
    try {
      value = this.#store.get(sub.key);
    } catch (error) {
      this.#log('warn', 'Reading a cursor failed; starting live', { message: String(error) });
      value = undefined;
    }
    const apply = (seq: unknown) => {
      if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 && sub.received === undefined) {
        sub.received = seq;
        sub.committed = seq;
      }
      sub.loaded = true;
    };
    if (value !== undefined && typeof (value as Promise<number>).then === 'function') {
      (value as Promise<number | undefined>).then(
        (seq) => {
          apply(seq);
          this.#sendSubscribe(sub);
        },
        (error: unknown) => {
          this.#log('warn', 'Reading a cursor failed; starting live', { message: String(error) });
          apply(undefined);
          this.#sendSubscribe(sub);
        },
      );
    } else {
      apply(value);
    }
  }

  #sendSubscribe(sub: Subscription): void {
    if (!sub.active || !sub.loaded || !this.#authenticated) return;
    if (sub.requestId !== undefined || sub.serverId !== undefined) return;
    const id = `s${++this.#requestSeq}`;
    const frame: Record<string, unknown> = { type: 'subscribe', id, types: sub.types };
    if (sub.requestedAccount !== undefined) frame.account_id = sub.requestedAccount;
    if (sub.received !== undefined) frame.after_seq = sub.received;
    if (!this.#send(frame)) return;
    sub.requestId = id;
    sub.requestedAfter = sub.received;
    this.#requests.set(id, sub);
  }

  #onSubscribed(message: Record<string, unknown>): void {
    const parsed = readSubscribed(message);
    if (parsed === undefined) {
      this.#log('warn', 'Ignoring a malformed subscribed frame');
      return;
    }
    const { id, subscription, last_seq: lastSeq, recovered, account_id: accountId } = parsed;
    const sub = this.#requests.get(id);
    this.#requests.delete(id);
    if (sub === undefined || !sub.active || sub.requestId !== id) {
      // Unsubscribed while the request was in flight.
      this.#send({ type: 'unsubscribe', subscription });
      return;
    }
    sub.requestId = undefined;
    sub.serverId = subscription;
    sub.serverAccount = accountId ?? sub.requestedAccount;
    this.#byServerId.set(subscription, sub);
    const afterSeq = sub.requestedAfter;
    if (afterSeq === undefined) {
      // Live from lastSeq: remember it, so a reconnect before the first event resumes from here
      // instead of going live again and missing what happened in between.
      sub.received = lastSeq;
      if (sub.commits.size === 0) this.#commit(sub, lastSeq);
    } else if (recovered) {
      sub.replayUntil = lastSeq;
    } else if (lastSeq < afterSeq) {
      this.#metrics.gaps += 1;
      sub.received = lastSeq;
      sub.commits.clear();
      this.#commit(sub, lastSeq);
      this.#emitGap({ reason: 'history_reset', sub, afterSeq, lastSeq });
    } else {
      this.#metrics.gaps += 1;
      this.#emitGap({ reason: 'not_retained', sub, afterSeq, lastSeq });
      void this.#backfill(sub, afterSeq, lastSeq);
    }
    sub.settle({ subscription, accountId: sub.serverAccount, lastSeq, recovered });
  }

  #onUnsubscribed(message: Record<string, unknown>): void {
    const id = typeof message.subscription === 'string' ? message.subscription : undefined;
    if (id === undefined) return;
    const sub = this.#byServerId.get(id);
    if (sub === undefined || !sub.active) return;
    // The server ended a subscription we did not end (membership removed): report it, stop it.
    this.#byServerId.delete(id);
    const error = new PermissionError({
      code: 'subscription_ended',
      message: `The server ended the subscription to ${sub.types.join(', ')}`,
    });
    this.#removeSub(sub);
    sub.settle(undefined, error);
    this.#emitError(error);
  }

  #onErrorFrame(message: Record<string, unknown>): void {
    const code = typeof message.code === 'string' ? message.code : 'error';
    const text = typeof message.message === 'string' ? message.message : 'server error';
    const id = typeof message.id === 'string' ? message.id : undefined;
    const sub = id === undefined ? undefined : this.#requests.get(id);
    if (sub !== undefined && id !== undefined) {
      this.#requests.delete(id);
      const error = subscribeError(code, text);
      this.#removeSub(sub);
      sub.settle(undefined, error);
      this.#emitError(error);
      return;
    }
    this.#log('warn', 'Server error frame', { code, message: text });
    // The server explains a close it is about to make in an error frame first: keep it
    // for the close to report, once and with the right type, rather than reporting twice.
    if (CLOSE_BOUND_CODES.has(code)) {
      this.#authFailure ??= { code, message: text };
      return;
    }
    this.#emitError(new CallwireError({ code, message: text }));
  }

  #unsubscribe(sub: Subscription): void {
    if (!sub.active) return;
    if (sub.serverId !== undefined) {
      this.#send({ type: 'unsubscribe', id: `u${++this.#requestSeq}`, subscription: sub.serverId });
      this.#byServerId.delete(sub.serverId);
    }
    this.#removeSub(sub);
    sub.settle(
      undefined,
      new CallwireError({ code: 'unsubscribed', message: 'Unsubscribed before the server answered' }),
    );
  }

  #removeSub(sub: Subscription): void {
    sub.active = false;
    sub.cancelBackfill();
    sub.commits.clear();
    if (!this.#subs.delete(sub)) return;
    const window = this.#dedupe.get(sub.dedupeKey);
    if (window !== undefined) {
      window.subs -= 1;
      if (window.subs <= 0) this.#dedupe.delete(sub.dedupeKey);
      else if (window.subs === 1) {
        window.seen.clear();
        window.order = [];
      }
    }
  }

  #commit(sub: Subscription, seq: number): void {
    if (sub.committed !== undefined && seq <= sub.committed) return;
    sub.committed = seq;
    if (!sub.active) return;
    // Written once per burst, not once per event: a sync store such as localStorage would
    // otherwise cost a write per event. The burst ends when the dispatch loop goes idle or waits.
    if (this.#pumping) this.#dirty.add(sub);
    else this.#cursors.write(sub.key, seq);
  }

  #flushCursors(): void {
    if (this.#dirty.size === 0) return;
    for (const sub of this.#dirty) {
      if (sub.active && sub.committed !== undefined) this.#cursors.write(sub.key, sub.committed);
    }
    this.#dirty.clear();
  }

  // ---- backfill --------------------------------------------------------------------------------

  /**
   * Fills `(afterSeq, lastSeq]` from `GET /rest/event` while the live feed (which starts after
   * lastSeq) is held, then releases the held events. Both go through the same seq gate, so an event
   * that is in both is delivered once. A failed backfill drops the socket: the resubscribe reports
   * the gap again from the cursor and the backfill starts over.
   */
  async #backfill(sub: Subscription, afterSeq: number, lastSeq: number): Promise<void> {
    const abort = new AbortController();
    sub.backfill = { abort, held: [] };
    const ws = this.#ws;
    try {
      let cursor = afterSeq;
      let lostReported = false;
      for (;;) {
        await this.#roomInQueue();
        if (abort.signal.aborted) return;
        const request: BackfillRequest = {
          baseUrl: this.#baseUrl,
          auth: this.#auth,
          fetch: this.#fetch ?? ((input, init) => globalThis.fetch(input, init)),
          accountId: sub.serverAccount,
          types: sub.types,
          afterSeq: cursor,
          take: BACKFILL_TAKE,
          signal: abort.signal,
        };
        const page = await fetchEventPage(request);
        if (abort.signal.aborted) return;
        if (!page.recovered && !lostReported) {
          lostReported = true;
          const to = Math.min(lastSeq, (page.oldest_seq ?? lastSeq + 1) - 1);
          if (to > cursor) {
            this.#emitGap({ reason: 'lost', sub, afterSeq, lastSeq, missing: { from: cursor + 1, to } });
          }
        }
        let last: number | undefined;
        for (const event of page.data) {
          last = event.seq;
          if (event.seq > lastSeq) break;
          const before = this.#metrics.received;
          this.#accept(sub, event as RawEvent, false);
          if (this.#metrics.received > before) this.#metrics.backfilled += 1;
        }
        if (!page.has_more || last === undefined || last >= lastSeq) break;
        cursor = last;
      }
      // Everything up to lastSeq is delivered or gone; the live feed continues after it.
      if (sub.received === undefined || sub.received < lastSeq) sub.received = lastSeq;
      const held = sub.backfill?.held ?? [];
      sub.backfill = undefined;
      for (const event of held) this.#accept(sub, event, true);
    } catch (error) {
      if (abort.signal.aborted || this.#disposed) return;
      sub.backfill = undefined;
      this.#log('warn', 'Backfill failed; reconnecting to try again', { message: String(error) });
      this.#emitError(error);
      if (isFatal(error) && isCallwireError(error) && error.status === 403) return;
      if (ws === this.#ws) this.#drop(CLIENT_CLOSE, 'backfill failed');
    }
  }

  #roomInQueue(): Promise<void> {
    if (this.#queue.length - this.#head <= this.#maxQueue / 2) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  // ---- events ----------------------------------------------------------------------------------

  #onEvent(message: Record<string, unknown>): void {
    const id = message.subscription;
    const sub = typeof id === 'string' ? this.#byServerId.get(id) : undefined;
    if (sub === undefined) return; // a REST-made subscription, or one just ended
    const raw = message.event as RawEvent | undefined;
    if (
      typeof raw !== 'object' ||
      raw === null ||
      typeof raw.seq !== 'number' ||
      typeof raw.type !== 'string'
    ) {
      this.#log('warn', 'Ignoring an event frame without seq and type');
      return;
    }
    if (sub.backfill !== undefined) {
      sub.backfill.held.push(raw);
      return;
    }
    this.#accept(sub, raw, true);
  }

  /** The seq gate: every event, live, replayed or backfilled, passes here exactly once. */
  #accept(sub: Subscription, raw: RawEvent, fromSocket: boolean): void {
    const seq = raw.seq;
    if (sub.received !== undefined && seq <= sub.received) {
      this.#metrics.duplicatesDropped += 1;
      return;
    }
    sub.received = seq;
    const metrics = this.#metrics;
    metrics.received += 1;
    if (seq <= sub.replayUntil) metrics.replayed += 1;
    this.#queue.push({ sub, raw });
    const queued = this.#queue.length - this.#head;
    if (queued > metrics.maxQueued) metrics.maxQueued = queued;
    if (fromSocket && queued > this.#maxQueue && !this.#shed && this.#ws !== undefined) {
      // Consumers are this far behind: stop reading rather than buffer without bound. `received`
      // marks where to resume once they catch up.
      this.#shed = true;
      metrics.sheds += 1;
      this.#log('warn', 'Consumers fell behind; pausing the socket until they catch up', { queued });
      this.#drop(CLIENT_CLOSE, 'client catching up');
    }
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    for (;;) {
      if (this.#head >= this.#queue.length) break;
      const item = this.#queue[this.#head]!;
      this.#queue[this.#head] = undefined;
      this.#head += 1;
      const pending = this.#deliver(item);
      if (pending !== undefined) {
        this.#flushCursors();
        pending.then(
          () => {
            this.#pumping = false;
            this.#afterItem();
            this.#pump();
          },
          (error: unknown) => {
            this.#pumping = false;
            this.#emitError(error);
            this.#pump();
          },
        );
        return;
      }
      if ((this.#head & 255) === 0) this.#afterItem();
    }
    this.#queue = [];
    this.#head = 0;
    this.#pumping = false;
    this.#flushCursors();
    this.#afterItem();
  }

  /** Wakes what waits for the queue to shrink: backfill pages, and a socket paused for load. */
  #afterItem(): void {
    const queued = this.#queue.length - this.#head;
    if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (queued > this.#maxQueue / 2) return;
    if (this.#roomWaiters.length > 0) for (const wake of this.#roomWaiters.splice(0)) wake();
    if (this.#shed) {
      this.#shed = false;
      if (!this.#disposed && this.#fatal === undefined) this.#start();
    }
  }

  #deliver(item: QueueItem): Promise<void> | undefined {
    const { sub, raw } = item;
    if (!sub.active) return undefined;
    let event: CallwireEvent;
    if (this.#validate !== undefined) {
      const result = this.#validate(raw);
      if (!result.ok || !result.known) {
        this.#unknown(sub, raw, result.ok ? result.issues : result.issues);
        return undefined;
      }
      event = result.event;
    } else {
      if (!KNOWN_TYPES.has(raw.type)) {
        this.#unknown(sub, raw, []);
        return undefined;
      }
      event = raw as unknown as CallwireEvent;
    }
    const window = this.#dedupe.get(sub.dedupeKey);
    if (window !== undefined && window.subs > 1) {
      // Two subscriptions on one account with overlapping patterns both carry this event: deliver once.
      if (window.seen.has(raw.seq)) {
        this.#metrics.duplicatesDropped += 1;
        release(sub.commits.open(raw.seq));
        return undefined;
      }
      window.seen.add(raw.seq);
      window.order.push(raw.seq);
      if (window.order.length > DEDUPE_WINDOW) window.seen.delete(window.order.shift()!);
    }
    this.#metrics.delivered += 1;
    const consumers = this.#consumersFor(event.type);
    if (consumers.streams.length === 0 && sub.commits.size === 0) {
      return this.#deliverFast(sub, event, consumers.handlers);
    }
    return this.#run(consumers, event, sub.commits.open(raw.seq), 0, 0);
  }

  /**
   * The common case without iterators and with nothing uncommitted before it: sync handlers run and
   * the cursor moves with no ticket. The first handler that returns a promise hands over to `#run`.
   */
  #deliverFast(sub: Subscription, event: CallwireEvent, handlers: EventHandler<CallwireEvent>[]) {
    for (let i = 0; i < handlers.length; i++) {
      let result: void | Promise<void>;
      try {
        result = handlers[i]!(event);
      } catch (error) {
        this.#handlerFailed(error);
        continue;
      }
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        const ticket = sub.commits.open(event.seq);
        const rest = { handlers, streams: [] };
        return (result as Promise<void>).then(
          () => this.#run(rest, event, ticket, i + 1, 0),
          (error: unknown) => {
            this.#handlerFailed(error);
            return this.#run(rest, event, ticket, i + 1, 0);
          },
        );
      }
    }
    this.#commit(sub, event.seq);
    return undefined;
  }

  /** Handlers in registration order, awaited; then the iterators. Sync all the way when nothing is async. */
  #run(
    consumers: Consumers,
    event: CallwireEvent,
    ticket: Ticket,
    h: number,
    s: number,
  ): Promise<void> | undefined {
    const { handlers, streams } = consumers;
    for (let i = h; i < handlers.length; i++) {
      let result: void | Promise<void>;
      try {
        result = handlers[i]!(event);
      } catch (error) {
        this.#handlerFailed(error);
        continue;
      }
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        return (result as Promise<void>).then(
          () => this.#run(consumers, event, ticket, i + 1, s),
          (error: unknown) => {
            this.#handlerFailed(error);
            return this.#run(consumers, event, ticket, i + 1, s);
          },
        );
      }
    }
    for (let j = s; j < streams.length; j++) {
      const wait = streams[j]!.offer(event, ticket);
      if (wait !== undefined)
        return wait.then(() => this.#run(consumers, event, ticket, handlers.length, j + 1));
    }
    release(ticket);
    return undefined;
  }

  #handlerFailed(error: unknown): void {
    // A throwing handler must not stop the stream or replay forever: the event counts as handled.
    this.#log('warn', 'An event handler threw', {
      message: error instanceof Error ? error.message : String(error),
    });
    this.#emitError(error);
  }

  #unknown(
    sub: Subscription,
    raw: RawEvent,
    issues: readonly { message: string; path: PropertyKey[] }[],
  ): void {
    this.#metrics.unknown += 1;
    const ticket = sub.commits.open(raw.seq);
    const notice: UnknownEventNotice = {
      event: raw as unknown as UnknownEventNotice['event'],
      knownType: KNOWN_TYPES.has(raw.type),
      issues: issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`),
    };
    for (const listener of [...this.#unknownListeners]) {
      try {
        listener(notice);
      } catch (error) {
        this.#handlerFailed(error);
      }
    }
    release(ticket);
  }

  #consumersFor(type: string): Consumers {
    let consumers = this.#consumers.get(type);
    if (consumers === undefined) {
      const handlers = this.#handlers
        .filter((h) => matchesAnyEventPattern(type, [h.pattern]))
        .map((h) => h.handler);
      const streams = [...this.#streams].filter((s) => s.selects(type));
      consumers = handlers.length === 0 && streams.length === 0 ? NO_CONSUMERS : { handlers, streams };
      this.#consumers.set(type, consumers);
    }
    return consumers;
  }

  // ---- listeners -------------------------------------------------------------------------------

  #addListener<T>(set: Set<T>, listener: T): () => void {
    if (this.#disposed) return () => {};
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  #setState(state: ConnectionState, extra: Omit<StateChange, 'state' | 'previous'> = {}): void {
    const previous = this.#state;
    if (previous === state && state !== 'reconnecting') return;
    if (previous === 'closed') return;
    this.#state = state;
    const change: StateChange = { state, previous, ...extra };
    for (const listener of [...this.#stateListeners]) {
      try {
        listener(change);
      } catch (error) {
        this.#log('warn', 'A state listener threw', { message: String(error) });
      }
    }
  }

  #emitGap(gap: {
    reason: GapNotice['reason'];
    sub: Subscription;
    afterSeq: number;
    lastSeq: number;
    missing?: { from: number; to: number };
  }): void {
    const { sub, ...rest } = gap;
    const handle = sub.handle;
    this.#log('warn', 'Gap in a subscription', {
      reason: gap.reason,
      afterSeq: gap.afterSeq,
      lastSeq: gap.lastSeq,
    });
    const notice: GapNotice = { ...rest, subscription: handle, accountId: handle.accountId };
    for (const listener of [...this.#gapListeners]) {
      try {
        listener(notice);
      } catch (error) {
        this.#log('warn', 'A gap listener threw', { message: String(error) });
      }
    }
  }

  #emitError(error: unknown): void {
    for (const listener of [...this.#errorListeners]) {
      try {
        listener(error);
      } catch {
        // An error listener that throws has nowhere left to report to.
      }
    }
  }
}

/**
 * A websocket client for Callwire events that loses nothing: it authenticates with the strategy's
 * token, resubscribes with `after_seq` after every reconnect, drops duplicates by seq, backfills
 * gaps over REST, and keeps a cursor per subscription (advanced only after the consumers are done).
 *
 * @example
 * ```ts
 * import { createSessionAuth } from '@callwire/auth-core';
 * import { createRealtimeClient } from '@callwire/realtime-client';
 *
 * const auth = createSessionAuth({ baseUrl: 'http://127.0.0.1:8787', username, password });
 * const client = createRealtimeClient({ url: 'ws://127.0.0.1:8787/ws', auth });
 * client.subscribe(['sms.*']);
 * client.on('sms.delivered', (event) => console.log(event.payload.to));
 * ```
 */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  return new Client(options);
}

export type { SubscribedInfo, SubscribeOptions, SubscriptionHandle };
