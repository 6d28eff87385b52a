import type { CallwireEvent } from '@callwire/types';
import { isEventPattern } from '@callwire/types';
import type {
  GapNotice,
  RealtimeClient,
  RealtimeClientOptions,
  RealtimeMetrics,
  StateChange,
} from './api.js';
import { fetchEventPage } from './backfill.js';
import { type ClientConfig, resolveConfig } from './config.js';
import { CLIENT_CLOSE, Connection, type ConnectionHost } from './connection.js';
import { type ConsumerHost, Consumers } from './consumers.js';
import type { Counters } from './counters.js';
import { CursorWriter } from './cursor-store.js';
import { DedupeWindows } from './dedupe.js';
import { Dispatcher, type DispatcherHost } from './dispatcher.js';
import { Emitter } from './emitter.js';
import { disposedError } from './errors.js';
import type { EventsOptions } from './event-stream.js';
import type { EventForPattern, EventHandler, UnknownEventNotice } from './event-types.js';
import { createEventValidator } from './event-validator.js';
import { isFatal } from './fatal.js';
import {
  defaultCursorKey,
  type RawEvent,
  type SubscribeOptions,
  Subscription,
  type SubscriptionHandle,
} from './subscription.js';
import { Subscriptions, type SubscriptionsHost } from './subscriptions.js';

interface ClientEvents {
  state: StateChange;
  gap: GapNotice;
  error: unknown;
  unknown: UnknownEventNotice;
}

const BACKFILL_TAKE = 1000;

function checkPattern(pattern: unknown, hint = ''): void {
  if (!isEventPattern(pattern)) {
    throw new TypeError(`"${String(pattern).slice(0, 64)}" is not an event pattern${hint}`);
  }
}

/**
 * Every part of one client, and the answers to what the parts ask of each other. This one object is
 * the host of every part, with methods: a host object of arrow functions per part cost each idle
 * client about twenty closures and their contexts.
 */
class Parts implements ConnectionHost, ConsumerHost, DispatcherHost, Omit<SubscriptionsHost, 'catchUp'> {
  readonly config: ClientConfig;
  readonly counters: Counters;
  readonly emitter = new Emitter<ClientEvents>();
  readonly connection: Connection;
  readonly consumers: Consumers;
  readonly cursors: CursorWriter;
  readonly dispatcher: Dispatcher;
  readonly subs: Subscriptions;
  disposed = false;

  constructor(config: ClientConfig) {
    this.config = config;
    const { log, counters } = config;
    this.counters = counters;
    this.connection = new Connection(config, this);
    this.consumers = new Consumers(this);
    this.cursors = new CursorWriter(config.store, (e) => {
      log('warn', 'Writing a cursor failed; events continue', { message: String(e) });
    });
    this.dispatcher = new Dispatcher(
      {
        validate: createEventValidator(config.validate),
        consumers: this.consumers,
        counters,
        cursors: this.cursors,
        maxQueue: config.maxQueue,
      },
      this,
    );
    this.subs = new Subscriptions(
      { store: config.store, dedupe: new DedupeWindows(), counters, log },
      this as Parts & SubscriptionsHost,
    );
  }

  // ---- connection host -------------------------------------------------------------------------

  opened(): void {
    this.subs.resubscribeAll();
  }

  event(message: Record<string, unknown>): void {
    this.subs.event(message);
  }

  frame(message: Record<string, unknown>): void {
    if (message.type === 'subscribed') this.subs.subscribed(message);
    else this.subs.unsubscribed(message);
  }

  requestFailed(id: string, code: string, text: string): boolean {
    return this.subs.requestFailed(id, code, text);
  }

  closed(): void {
    this.subs.detachAll();
  }

  failed(e: unknown): void {
    this.subs.endAll(e, false);
    this.consumers.endStreams(e);
  }

  state(change: StateChange): void {
    this.emitter.emit('state', change, (e) =>
      this.config.log('warn', 'A state listener threw', { message: String(e) }),
    );
  }

  error(error: unknown): void {
    // An error listener that throws has nowhere left to report to.
    this.emitter.emit('error', error, () => {});
  }

  // ---- consumers host --------------------------------------------------------------------------

  handlerFailed(error: unknown): void {
    // A throwing handler must not stop the stream or replay forever: the event counts as handled.
    this.config.log('warn', 'An event handler threw', {
      message: error instanceof Error ? error.message : String(error),
    });
    this.error(error);
  }

  dropped(): void {
    this.counters.dropped += 1;
  }

  commit(sub: Subscription, seq: number): void {
    this.dispatcher.commit(sub, seq);
  }

  // ---- dispatcher host -------------------------------------------------------------------------

  overflow(queued: number): boolean {
    if (!this.connection.pause()) return false;
    this.config.log('warn', 'Consumers fell behind; pausing the socket until they catch up', { queued });
    return true;
  }

  drained(): void {
    this.connection.resume();
  }

  unknown(notice: UnknownEventNotice): void {
    this.emitter.emit('unknown', notice, (e) => this.handlerFailed(e));
  }

  // ---- subscriptions host ----------------------------------------------------------------------

  send(frame: Record<string, unknown>): boolean {
    return this.connection.send(frame);
  }

  authenticated(): boolean {
    return this.connection.authenticated;
  }

  accept(sub: Subscription, raw: RawEvent, fromSocket: boolean): boolean {
    return this.dispatcher.accept(sub, raw, fromSocket);
  }

  gap(gap: Omit<GapNotice, 'subscription' | 'accountId'> & { sub: Subscription }): void {
    const { sub, ...rest } = gap;
    const log = this.config.log;
    log('warn', 'Gap in a subscription', {
      reason: gap.reason,
      afterSeq: gap.afterSeq,
      lastSeq: gap.lastSeq,
    });
    const notice: GapNotice = { ...rest, subscription: sub.handle, accountId: sub.handle.accountId };
    this.emitter.emit('gap', notice, (e) => log('warn', 'A gap listener threw', { message: String(e) }));
  }

  /** Read once, by the first catch-up: built then rather than kept by every idle client. */
  get catchUp(): SubscriptionsHost['catchUp'] {
    const config = this.config;
    return {
      fetchPage: (accountId, types, afterSeq, signal) =>
        fetchEventPage({ ...config, accountId, types, afterSeq, take: BACKFILL_TAKE, signal }),
      room: () => this.dispatcher.room(),
      failed: (e) => this.#catchUpFailed(e),
    };
  }

  /** A failed REST catch-up drops the socket: the resubscribe reports the gap again and it starts over. */
  #catchUpFailed(error: unknown): void {
    if (this.disposed) return;
    this.config.log('warn', 'Backfill failed; reconnecting to try again', { message: String(error) });
    this.error(error);
    if (isFatal(error) && (error as { status?: number }).status === 403) return;
    this.connection.drop(CLIENT_CLOSE, 'backfill failed');
  }
}

/**
 * The public face of the client: it checks arguments and hands the calls to its parts. The
 * connection owns the socket (with its liveness and token renewal), `Subscriptions` what the server
 * knows of our subscriptions, the dispatcher the way from the seq gates to the consumers.
 */
class Client implements RealtimeClient {
  readonly #p: Parts;

  constructor(options: RealtimeClientOptions) {
    this.#p = new Parts(resolveConfig(options));
  }

  get state(): RealtimeClient['state'] {
    return this.#p.connection.state;
  }

  connect(): Promise<void> {
    if (this.#p.disposed) return Promise.reject(disposedError());
    const fatal = this.#p.connection.fatal;
    if (fatal !== undefined) return Promise.reject(fatal);
    return this.#p.connection.connect();
  }

  subscribe<P extends string>(types: readonly P[], options: SubscribeOptions = {}): SubscriptionHandle {
    if (this.#p.disposed) throw disposedError();
    if (!Array.isArray(types) || types.length === 0)
      throw new TypeError('subscribe(types) needs at least one pattern');
    for (const type of types) checkPattern(type, ' (call.hangup, call.*, *)');
    if (options.afterSeq !== undefined && (!Number.isSafeInteger(options.afterSeq) || options.afterSeq < 0)) {
      throw new TypeError('afterSeq must be a seq (an integer >= 0)');
    }
    const accountId = options.accountId ?? this.#p.config.accountId;
    const key = options.key ?? defaultCursorKey(accountId, types);
    const sub = new Subscription({
      key,
      types: [...types],
      accountId,
      onCommit: (s, seq) => this.#p.dispatcher.commit(s, seq),
    });
    this.#p.subs.add(sub, options.afterSeq);
    const fatal = this.#p.connection.fatal;
    if (fatal !== undefined) sub.settle(undefined, fatal);
    else this.#p.connection.start();
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
        this.#p.subs.unsubscribe(sub);
        return Promise.resolve();
      },
    };
    return sub.handle;
  }

  on<P extends string>(pattern: P, handler: EventHandler<EventForPattern<P>>): () => void {
    if (this.#p.disposed) throw disposedError();
    checkPattern(pattern);
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    return this.#p.consumers.addHandler(pattern, handler as EventHandler<CallwireEvent>);
  }

  events<P extends string>(options: EventsOptions<P> = {}): AsyncIterableIterator<EventForPattern<P>> {
    if (this.#p.disposed) throw disposedError();
    for (const type of options.types ?? []) checkPattern(type);
    const stream = this.#p.consumers.addStream(options, this.#p.connection.fatal);
    return stream as unknown as AsyncIterableIterator<EventForPattern<P>>;
  }

  onState(listener: (change: StateChange) => void): () => void {
    return this.#p.emitter.on('state', listener);
  }

  onGap(listener: (gap: GapNotice) => void): () => void {
    return this.#p.emitter.on('gap', listener);
  }

  onError(listener: (error: unknown) => void): () => void {
    return this.#p.emitter.on('error', listener);
  }

  onUnknown(listener: (notice: UnknownEventNotice) => void): () => void {
    return this.#p.emitter.on('unknown', listener);
  }

  metrics(): RealtimeMetrics {
    return { state: this.#p.connection.state, ...this.#p.counters, queued: this.#p.dispatcher.queued };
  }

  dispose(): void {
    if (this.#p.disposed) return;
    this.#p.disposed = true;
    const error = disposedError();
    this.#p.dispatcher.flush();
    this.#p.subs.endAll(error, true);
    this.#p.consumers.endStreams();
    this.#p.consumers.removeHandlers();
    this.#p.dispatcher.clear();
    this.#p.connection.dispose(error);
    this.#p.emitter.close();
  }

  async close(): Promise<void> {
    this.dispose();
    await this.#p.cursors.flushed();
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
