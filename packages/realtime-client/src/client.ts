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
import { CLIENT_CLOSE, Connection } from './connection.js';
import { Consumers } from './consumers.js';
import type { Counters } from './counters.js';
import { CursorWriter } from './cursor-store.js';
import { DedupeWindows } from './dedupe.js';
import { Dispatcher } from './dispatcher.js';
import { Emitter } from './emitter.js';
import { disposedError } from './errors.js';
import type { EventsOptions } from './event-stream.js';
import type { EventForPattern, EventHandler, UnknownEventNotice } from './event-types.js';
import { createEventValidator } from './event-validator.js';
import { isFatal } from './fatal.js';
import {
  defaultCursorKey,
  type SubscribeOptions,
  Subscription,
  type SubscriptionHandle,
} from './subscription.js';
import { Subscriptions } from './subscriptions.js';

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
 * The public face of the client: it checks arguments and wires the parts together. The connection
 * owns the socket (with its liveness and token renewal), `Subscriptions` what the server knows of
 * our subscriptions, the dispatcher the way from the seq gates to the consumers.
 */
class Client implements RealtimeClient {
  readonly #config: ClientConfig;
  readonly #counters: Counters;
  readonly #emitter = new Emitter<ClientEvents>();
  readonly #connection: Connection;
  readonly #subs: Subscriptions;
  readonly #consumers: Consumers;
  readonly #dispatcher: Dispatcher;
  readonly #cursors: CursorWriter;
  #disposed = false;

  constructor(options: RealtimeClientOptions) {
    const config = resolveConfig(options);
    this.#config = config;
    const log = config.log;
    const counters = config.counters;
    this.#counters = counters;
    const error = (e: unknown) => this.#emitError(e);
    this.#connection = new Connection(config, {
      opened: () => this.#subs.resubscribeAll(),
      event: (message) => this.#subs.event(message),
      frame: (message) => {
        if (message.type === 'subscribed') this.#subs.subscribed(message);
        else this.#subs.unsubscribed(message);
      },
      requestFailed: (id, code, text) => this.#subs.requestFailed(id, code, text),
      closed: () => this.#subs.detachAll(),
      failed: (e) => {
        this.#subs.endAll(e, false);
        this.#consumers.endStreams(e);
      },
      state: (change) =>
        this.#emitter.emit('state', change, (e) =>
          log('warn', 'A state listener threw', { message: String(e) }),
        ),
      error,
    });
    this.#consumers = new Consumers({
      handlerFailed: (e) => this.#handlerFailed(e),
      dropped: () => {
        counters.dropped += 1;
      },
      commit: (sub, seq) => this.#dispatcher.commit(sub, seq),
    });
    const cursors = new CursorWriter(config.store, (e) => {
      log('warn', 'Writing a cursor failed; events continue', { message: String(e) });
    });
    this.#dispatcher = new Dispatcher(
      {
        validate: createEventValidator(config.validate),
        consumers: this.#consumers,
        counters,
        cursors,
        maxQueue: config.maxQueue,
      },
      {
        overflow: (queued) => {
          if (!this.#connection.pause()) return false;
          log('warn', 'Consumers fell behind; pausing the socket until they catch up', { queued });
          return true;
        },
        drained: () => this.#connection.resume(),
        unknown: (notice) => this.#emitter.emit('unknown', notice, (e) => this.#handlerFailed(e)),
        error,
      },
    );
    this.#subs = new Subscriptions(
      { store: config.store, dedupe: new DedupeWindows(), counters, log },
      {
        send: (frame) => this.#connection.send(frame),
        authenticated: () => this.#connection.authenticated,
        accept: (sub, raw, fromSocket) => this.#dispatcher.accept(sub, raw, fromSocket),
        gap: (gap) => this.#emitGap(gap),
        error,
        catchUp: {
          fetchPage: (accountId, types, afterSeq, signal) =>
            fetchEventPage({ ...config, accountId, types, afterSeq, take: BACKFILL_TAKE, signal }),
          room: () => this.#dispatcher.room(),
          failed: (e) => this.#catchUpFailed(e),
        },
      },
    );
    this.#cursors = cursors;
  }

  get state(): RealtimeClient['state'] {
    return this.#connection.state;
  }

  connect(): Promise<void> {
    if (this.#disposed) return Promise.reject(disposedError());
    const fatal = this.#connection.fatal;
    if (fatal !== undefined) return Promise.reject(fatal);
    return this.#connection.connect();
  }

  subscribe<P extends string>(types: readonly P[], options: SubscribeOptions = {}): SubscriptionHandle {
    if (this.#disposed) throw disposedError();
    if (!Array.isArray(types) || types.length === 0)
      throw new TypeError('subscribe(types) needs at least one pattern');
    for (const type of types) checkPattern(type, ' (call.hangup, call.*, *)');
    if (options.afterSeq !== undefined && (!Number.isSafeInteger(options.afterSeq) || options.afterSeq < 0)) {
      throw new TypeError('afterSeq must be a seq (an integer >= 0)');
    }
    const accountId = options.accountId ?? this.#config.accountId;
    const key = options.key ?? defaultCursorKey(accountId, types);
    const sub = new Subscription({
      key,
      types: [...types],
      accountId,
      onCommit: (s, seq) => this.#dispatcher.commit(s, seq),
    });
    this.#subs.add(sub, options.afterSeq);
    const fatal = this.#connection.fatal;
    if (fatal !== undefined) sub.settle(undefined, fatal);
    else this.#connection.start();
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
        this.#subs.unsubscribe(sub);
        return Promise.resolve();
      },
    };
    return sub.handle;
  }

  on<P extends string>(pattern: P, handler: EventHandler<EventForPattern<P>>): () => void {
    if (this.#disposed) throw disposedError();
    checkPattern(pattern);
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    return this.#consumers.addHandler(pattern, handler as EventHandler<CallwireEvent>);
  }

  events<P extends string>(options: EventsOptions<P> = {}): AsyncIterableIterator<EventForPattern<P>> {
    if (this.#disposed) throw disposedError();
    for (const type of options.types ?? []) checkPattern(type);
    const stream = this.#consumers.addStream(options, this.#connection.fatal);
    return stream as unknown as AsyncIterableIterator<EventForPattern<P>>;
  }

  onState(listener: (change: StateChange) => void): () => void {
    return this.#emitter.on('state', listener);
  }

  onGap(listener: (gap: GapNotice) => void): () => void {
    return this.#emitter.on('gap', listener);
  }

  onError(listener: (error: unknown) => void): () => void {
    return this.#emitter.on('error', listener);
  }

  onUnknown(listener: (notice: UnknownEventNotice) => void): () => void {
    return this.#emitter.on('unknown', listener);
  }

  metrics(): RealtimeMetrics {
    return { state: this.#connection.state, ...this.#counters, queued: this.#dispatcher.queued };
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const error = disposedError();
    this.#dispatcher.flush();
    this.#subs.endAll(error, true);
    this.#consumers.endStreams();
    this.#consumers.removeHandlers();
    this.#dispatcher.clear();
    this.#connection.dispose(error);
    this.#emitter.close();
  }

  async close(): Promise<void> {
    this.dispose();
    await this.#cursors.flushed();
  }

  #emitError(error: unknown): void {
    // An error listener that throws has nowhere left to report to.
    this.#emitter.emit('error', error, () => {});
  }

  #handlerFailed(error: unknown): void {
    // A throwing handler must not stop the stream or replay forever: the event counts as handled.
    this.#config.log('warn', 'An event handler threw', {
      message: error instanceof Error ? error.message : String(error),
    });
    this.#emitError(error);
  }

  #emitGap(gap: Omit<GapNotice, 'subscription' | 'accountId'> & { sub: Subscription }): void {
    const { sub, ...rest } = gap;
    const log = this.#config.log;
    log('warn', 'Gap in a subscription', {
      reason: gap.reason,
      afterSeq: gap.afterSeq,
      lastSeq: gap.lastSeq,
    });
    const notice: GapNotice = { ...rest, subscription: sub.handle, accountId: sub.handle.accountId };
    this.#emitter.emit('gap', notice, (e) => log('warn', 'A gap listener threw', { message: String(e) }));
  }

  /** A failed REST catch-up drops the socket: the resubscribe reports the gap again and it starts over. */
  #catchUpFailed(error: unknown): void {
    if (this.#disposed) return;
    this.#config.log('warn', 'Backfill failed; reconnecting to try again', { message: String(error) });
    this.#emitError(error);
    if (isFatal(error) && (error as { status?: number }).status === 403) return;
    this.#connection.drop(CLIENT_CLOSE, 'backfill failed');
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
