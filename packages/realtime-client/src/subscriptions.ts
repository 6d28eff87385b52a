import { CallwireError, type LogFn, PermissionError } from '@callwire/auth-core';
import type { GapNotice } from './api.js';
import { CatchUp, type CatchUpHost } from './catch-up.js';
import type { Counters } from './counters.js';
import type { CursorStore } from './cursor-store.js';
import { joinWindow, leaveWindow } from './dedupe.js';
import { subscribeError } from './errors.js';
import { PendingRequests } from './pending-requests.js';
import type { RawEvent, Subscription, SubscriptionHandle } from './subscription.js';
import { Handle, type Unsubscriber } from './subscription-handle.js';
import { readSubscribed } from './wire-checks.js';

export interface SubscriptionsHost {
  send(frame: Record<string, unknown>): boolean;
  authenticated(): boolean;
  /** Through the seq gate of `sub` into the dispatch queue. */
  accept(sub: Subscription, raw: RawEvent, fromSocket: boolean): boolean;
  gap(notice: Omit<GapNotice, 'subscription' | 'accountId'> & { sub: Subscription }): void;
  error(error: unknown): void;
  /** What a REST catch-up needs (fetching, pacing, failing). */
  catchUp: Omit<CatchUpHost, 'accept' | 'lost' | 'counters'>;
}

export interface SubscriptionsOptions {
  store: CursorStore;
  counters: Counters;
  log: LogFn;
}

/**
 * Every subscription of the client and their bookkeeping with the server: the subscribe frames in
 * flight, the server's ids on the current connection, resubscribing after each reconnect (several
 * subscriptions of one account together, so their events come in seq order), and the server's
 * answers and refusals.
 */
export class Subscriptions implements Unsubscriber {
  readonly #options: SubscriptionsOptions;
  readonly #host: SubscriptionsHost;
  /** An array, not a set: a client has a few subscriptions (the server allows 100 a connection). */
  readonly #all: Subscription[] = [];
  readonly #byServerId = new Map<string, Subscription>();
  /**
   * The subscription the last event went to: events come in runs of one subscription, and comparing
   * the id with its `serverId` is cheaper than hashing it for the map on every event.
   */
  #recent: Subscription | undefined;
  readonly #requests = new PendingRequests<Subscription>('s');
  /** Made by the first catch-up: most clients never need one. */
  #catchUpHost: CatchUpHost | undefined;

  constructor(options: SubscriptionsOptions, host: SubscriptionsHost) {
    this.#options = options;
    this.#host = host;
  }

  #catchUps(): CatchUpHost {
    const host = this.#host;
    this.#catchUpHost ??= {
      ...host.catchUp,
      accept: (sub, raw, fromSocket) => host.accept(sub, raw, fromSocket),
      lost: (sub, afterSeq, lastSeq, missing) =>
        host.gap({ reason: 'lost', sub, afterSeq, lastSeq, missing }),
      counters: this.#options.counters,
    };
    return this.#catchUpHost;
  }

  /**
   * Adds a subscription (its cursor read from the store unless `afterSeq` was given), subscribes it,
   * and returns its handle.
   */
  add(sub: Subscription, afterSeq: number | undefined): SubscriptionHandle {
    joinWindow(sub, this.#all);
    this.#all.push(sub);
    sub.handle = new Handle(sub, this);
    if (afterSeq !== undefined) {
      sub.received = afterSeq;
      sub.committed = afterSeq;
      sub.loaded = true;
    } else this.#loadCursor(sub);
    this.#subscribe(sub, false);
    return sub.handle;
  }

  /** The socket authenticated: every subscription goes out again, resuming after its cursor. */
  resubscribeAll(): void {
    const groups = new Map<string, Subscription[]>();
    for (const sub of this.#all) {
      if (!sub.wantsSubscribe) continue;
      if (sub.received === undefined) {
        this.#subscribe(sub, false);
        continue;
      }
      const group = groups.get(sub.dedupeKey);
      if (group === undefined) groups.set(sub.dedupeKey, [sub]);
      else group.push(sub);
    }
    for (const group of groups.values()) {
      if (group.length === 1) {
        this.#subscribe(group[0]!, false);
        continue;
      }
      // Several subscriptions of one account resume together: live on the socket, their gaps fetched
      // in one seq-ordered stream, so `on('*')` sees the account's events in order across them.
      new CatchUp(group, this.#catchUps());
      for (const sub of group) this.#subscribe(sub, true);
    }
  }

  /** An event frame: into its subscription's seq gate, or held while that subscription catches up. */
  event(message: Record<string, unknown>): void {
    const sub = this.forServerId(message.subscription);
    if (sub === undefined) return; // a REST-made subscription, or one just ended
    const raw = message.event as RawEvent | undefined;
    if (
      typeof raw !== 'object' ||
      raw === null ||
      typeof raw.seq !== 'number' ||
      typeof raw.type !== 'string'
    ) {
      this.#options.log('warn', 'Ignoring an event frame without seq and type');
      return;
    }
    if (sub.catchUp !== undefined) sub.catchUp.hold(sub, raw);
    else this.#host.accept(sub, raw, true);
  }

  forServerId(id: unknown): Subscription | undefined {
    const recent = this.#recent;
    if (recent !== undefined && recent.serverId === id) return recent;
    if (typeof id !== 'string') return undefined;
    const sub = this.#byServerId.get(id);
    if (sub !== undefined) this.#recent = sub;
    return sub;
  }

  subscribed(message: Record<string, unknown>): void {
    const parsed = readSubscribed(message);
    if (parsed === undefined) {
      this.#options.log('warn', 'Ignoring a malformed subscribed frame');
      return;
    }
    const { id, subscription, last_seq: lastSeq, recovered, account_id: accountId } = parsed;
    const sub = this.#requests.take(id);
    if (sub === undefined || !sub.active || sub.requestId !== id) {
      // Unsubscribed while the request was in flight.
      this.#host.send({ type: 'unsubscribe', subscription });
      return;
    }
    this.#byServerId.set(subscription, sub);
    const catchUp = sub.catchUp;
    const { outcome, afterSeq } = sub.subscribed(subscription, accountId, lastSeq, recovered);
    if (outcome === 'history_reset' || outcome === 'not_retained') {
      this.#options.counters.gaps += 1;
      this.#host.gap({ reason: outcome, sub, afterSeq, lastSeq });
    }
    if (outcome === 'not_retained') new CatchUp([sub], this.#catchUps()).answered(sub, lastSeq);
    else catchUp?.answered(sub, lastSeq);
    sub.settle({ subscription, accountId: sub.serverAccount, lastSeq, recovered });
  }

  /** The server ended a subscription we did not end (membership removed): report it, stop it. */
  unsubscribed(message: Record<string, unknown>): void {
    const sub = this.forServerId(message.subscription);
    if (sub === undefined || !sub.active) return;
    const error = new PermissionError({
      code: 'subscription_ended',
      message: `The server ended the subscription to ${sub.types.join(', ')}`,
    });
    this.#remove(sub, error);
    this.#host.error(error);
  }

  /** An error frame answering one of our subscribe frames: that subscription is refused. */
  requestFailed(id: string, code: string, text: string): boolean {
    const sub = this.#requests.take(id);
    if (sub === undefined) return false;
    const error = subscribeError(code, text);
    this.#remove(sub, error);
    this.#host.error(error);
    return true;
  }

  unsubscribe(sub: Subscription): void {
    if (!sub.active) return;
    if (sub.serverId !== undefined) {
      this.#host.send({ type: 'unsubscribe', id: this.#requests.nextId(), subscription: sub.serverId });
    }
    this.#remove(
      sub,
      new CallwireError({ code: 'unsubscribed', message: 'Unsubscribed before the server answered' }),
    );
  }

  /** The socket is gone: server ids and requests die with it. */
  detachAll(): void {
    this.#byServerId.clear();
    this.#recent = undefined;
    this.#requests.clear();
    for (const sub of this.#all) sub.detach();
  }

  /** The client stopped (fatal error, or disposed): every subscription ends with `error`. */
  endAll(error: unknown, forget: boolean): void {
    for (const sub of this.#all) {
      sub.catchUp?.cancel();
      if (forget) sub.end(error);
      else sub.settle(undefined, error);
    }
    if (!forget) return;
    this.#all.length = 0;
    this.#byServerId.clear();
    this.#recent = undefined;
    this.#requests.clear();
  }

  #remove(sub: Subscription, error: unknown): void {
    if (sub.serverId !== undefined) this.#byServerId.delete(sub.serverId);
    if (this.#recent === sub) this.#recent = undefined;
    sub.end(error);
    const index = this.#all.indexOf(sub);
    if (index === -1) return;
    this.#all.splice(index, 1);
    leaveWindow(sub);
  }

  #subscribe(sub: Subscription, live: boolean): void {
    if (!sub.wantsSubscribe || !this.#host.authenticated()) return;
    const id = this.#requests.open(sub);
    if (!this.#host.send(sub.subscribeFrame(id, live))) {
      this.#requests.take(id);
      sub.requestId = undefined;
    }
  }

  #loadCursor(sub: Subscription): void {
    const apply = (seq: unknown) => {
      if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 && sub.received === undefined) {
        sub.received = seq;
        sub.committed = seq;
      }
      sub.loaded = true;
    };
    const failed = (error: unknown) => {
      this.#options.log('warn', 'Reading a cursor failed; starting live', { message: String(error) });
      apply(undefined);
    };
    let value: number | undefined | Promise<number | undefined>;
    try {
      value = this.#options.store.get(sub.key);
    } catch (error) {
      failed(error);
      return;
    }
    if (value === undefined || typeof (value as Promise<number>).then !== 'function') {
      apply(value);
      return;
    }
    (value as Promise<number | undefined>).then(apply, failed).then(() => this.#subscribe(sub, false));
  }
}
