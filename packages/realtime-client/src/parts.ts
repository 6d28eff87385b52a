import type { GapNotice, StateChange } from './api.js';
import { fetchEventPage } from './backfill.js';
import type { ClientConfig } from './config.js';
import { CLIENT_CLOSE, Connection } from './connection.js';
import type { ConnectionHost } from './connection-host.js';
import { type ConsumerHost, Consumers } from './consumers.js';
import type { Counters } from './counters.js';
import { CursorWriter } from './cursor-store.js';
import { Dispatcher, type DispatcherHost } from './dispatcher.js';
import { Emitter } from './emitter.js';
import type { UnknownEventNotice } from './event-types.js';
import { createEventValidator } from './event-validator.js';
import { isFatal } from './fatal.js';
import type { RawEvent, Subscription } from './subscription.js';
import { Subscriptions, type SubscriptionsHost } from './subscriptions.js';

/** The notices a client's listeners get. */
export interface ClientEvents {
  state: StateChange;
  gap: GapNotice;
  error: unknown;
  unknown: UnknownEventNotice;
}

const BACKFILL_TAKE = 1000;

/**
 * Every part of one client, and the answers to what the parts ask of each other. This one object is
 * the host of every part, with methods: a host object of arrow functions per part cost each idle
 * client about twenty closures and their contexts.
 */
export class Parts
  implements ConnectionHost, ConsumerHost, DispatcherHost, Omit<SubscriptionsHost, 'catchUp'>
{
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
    this.subs = new Subscriptions(config, this as Parts & SubscriptionsHost);
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
