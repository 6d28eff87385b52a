import type { CallwireEvent } from '@callwire/types';
import { isEventPattern } from '@callwire/types';
import type {
  GapNotice,
  RealtimeClient,
  RealtimeClientOptions,
  RealtimeMetrics,
  StateChange,
} from './api.js';
import { resolveConfig } from './config.js';
import { disposedError } from './errors.js';
import type { EventsOptions } from './event-stream.js';
import type { EventForPattern, EventHandler, UnknownEventNotice } from './event-types.js';
import { Parts } from './parts.js';
import {
  defaultCursorKey,
  type SubscribeOptions,
  Subscription,
  type SubscriptionHandle,
} from './subscription.js';

function checkPattern(pattern: unknown, hint = ''): void {
  if (!isEventPattern(pattern)) {
    throw new TypeError(`"${String(pattern).slice(0, 64)}" is not an event pattern${hint}`);
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
    const sub = new Subscription({ key, types: [...types], accountId, committer: this.#p.dispatcher });
    const handle = this.#p.subs.add(sub, options.afterSeq);
    const fatal = this.#p.connection.fatal;
    if (fatal !== undefined) sub.settle(undefined, fatal);
    else this.#p.connection.start();
    return handle;
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
