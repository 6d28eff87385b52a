import { randomUUID } from 'node:crypto';
import { WsSubscribeMessageSchema, WsUnsubscribeMessageSchema } from '@callwire/types';
import { ClientSubscription, type FrameSink } from './client-subscription.js';
import type { ConnectionHost } from './connection.js';
import { describeIssues, errorFrame, type Json } from './frames.js';
import { type LongTimer, setLongTimer } from './long-timer.js';
import type { RestWssSubscription, WsIdentity } from './ports.js';

/** What the subscriptions need from their connection. */
export interface SubscriptionOwner {
  /** Where events go (the connection). */
  readonly sink: FrameSink;
  identity(): WsIdentity | undefined;
  /** Authenticated and not closed. */
  isOpen(): boolean;
  sendJson(frame: Json): void;
}

/**
 * The subscriptions of one websocket: those the client made (`subscribe` / `unsubscribe`, with
 * replay from `after_seq`) and the REST-made `wss` subscriptions of its user (until they expire or
 * the user loses the account).
 */
export class ConnectionSubscriptions {
  readonly #host: ConnectionHost;
  readonly #owner: SubscriptionOwner;
  readonly #client = new Map<string, ClientSubscription>();
  readonly #rest = new Map<string, ClientSubscription>();
  readonly #restExpiry = new Map<string, LongTimer>();

  constructor(host: ConnectionHost, owner: SubscriptionOwner) {
    this.#host = host;
    this.#owner = owner;
  }

  /** How many subscriptions the client made. */
  get size(): number {
    return this.#client.size;
  }

  /** Adds, replaces or removes (types undefined) a REST-made `wss` subscription on this socket. */
  applyRest(uuid: string, subscription: RestWssSubscription | undefined): void {
    if (!this.#owner.isOpen()) return;
    this.#rest.get(uuid)?.close();
    this.#rest.delete(uuid);
    this.#restExpiry.get(uuid)?.cancel();
    this.#restExpiry.delete(uuid);
    if (subscription === undefined || !this.isMember(subscription.accountId)) return;
    if (subscription.expiresOn !== null) {
      if (subscription.expiresOn <= this.#host.ports.now()) return;
      const timer = setLongTimer(
        subscription.expiresOn,
        () => this.#host.ports.now(),
        () => this.applyRest(uuid, undefined),
      );
      this.#restExpiry.set(uuid, timer);
    }
    const sub = new ClientSubscription({
      uuid,
      accountId: subscription.accountId,
      patterns: subscription.types,
      sink: this.#owner.sink,
      rest: true,
    });
    this.#rest.set(uuid, sub);
    sub.startLive(this.#host.bus);
  }

  /** Drops subscriptions on accounts the user may no longer read (membership removed). */
  async recheckAccess(): Promise<void> {
    const identity = this.#owner.identity();
    if (identity === undefined || !this.#owner.isOpen()) return;
    for (const sub of this.#client.values()) {
      if (await this.#host.ports.mayActOn(identity, sub.accountId)) continue;
      sub.close();
      this.#client.delete(sub.uuid);
      this.#owner.sendJson({ type: 'unsubscribed', subscription: sub.uuid });
    }
    for (const sub of this.#rest.values()) {
      if (this.isMember(sub.accountId)) continue;
      this.applyRest(sub.uuid, undefined);
      this.#owner.sendJson({ type: 'unsubscribed', subscription: sub.uuid });
    }
  }

  /**
   * REST-made subscriptions apply to every socket of their user, whichever account the socket's
   * token is bound to (the user chose to receive them); membership is what they still need.
   */
  #isMember(accountId: string): boolean {
    return this.#owner.identity()?.principal.memberships.some((m) => m.accountId === accountId) ?? false;
  }

  async subscribe(message: Json): Promise<void> {
    const parsed = WsSubscribeMessageSchema.safeParse(message);
    if (!parsed.success) return this.#error(message, 'validation_failed', describeIssues(parsed.error));
    const request = parsed.data;
    const { limits, ports, bus } = this.#host;
    if (this.#client.size >= limits.maxSubscriptionsPerConnection) {
      return this.#error(
        message,
        'too_many_subscriptions',
        `At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection; unsubscribe first`,
      );
    }
    const identity = this.#owner.identity()!;
    const accountId = request.account_id ?? identity.accountId;
    // Membership is checked for the token's own account too: it may have been removed since login.
    if (!(await ports.mayActOn(identity, accountId))) {
      return this.#error(message, 'account_forbidden', 'You may not read events of that account');
    }
    if (!this.#owner.isOpen()) return;
    const sub = new ClientSubscription({
      uuid: randomUUID(),
      accountId,
      patterns: request.types,
      sink: this.#owner.sink,
    });
    this.#client.set(sub.uuid, sub);
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    const started = sub
      .start({
        bus,
        reader: ports.backlog,
        afterSeq: request.after_seq,
        maxReplay: limits.maxReplay,
        ready: (result) => {
          this.#owner.sendJson({
            type: 'subscribed',
            id: request.id,
            subscription: sub.uuid,
            account_id: accountId,
            last_seq: result.lastSeq,
            recovered: result.recovered,
          });
          onReady();
        },
      })
      .catch((error: unknown) => {
        ports.logError(error, 'websocket subscription failed');
        sub.close();
        this.#client.delete(sub.uuid);
        if (this.#owner.isOpen()) {
          this.#owner.sendJson({
            type: 'error',
            id: request.id,
            code: 'internal',
            message: 'Subscription failed',
          });
          this.#owner.sendJson({ type: 'unsubscribed', subscription: sub.uuid });
        }
      });
    // Hold the next request until `subscribed` went out (or the start failed), not for the replay.
    await Promise.race([ready, started]);
  }

  async unsubscribe(message: Json): Promise<void> {
    const parsed = WsUnsubscribeMessageSchema.safeParse(message);
    if (!parsed.success) return this.#error(message, 'validation_failed', describeIssues(parsed.error));
    const { id, subscription } = parsed.data;
    const sub = this.#client.get(subscription);
    if (sub === undefined) {
      if (this.#rest.has(subscription)) {
        return this.#error(
          message,
          'conflict',
          'That subscription was made over REST; change it with /rest/event/subscription',
        );
      }
      return this.#error(message, 'not_found', 'No such subscription on this connection');
    }
    sub.close();
    this.#client.delete(subscription);
    this.#owner.sendJson({ type: 'unsubscribed', ...(id === undefined ? {} : { id }), subscription });
  }

  /** Stops every subscription (no more events). */
  quiesce(): void {
    for (const sub of this.#client.values()) sub.close();
    for (const sub of this.#rest.values()) sub.close();
  }

  /** The connection closed: stops everything and forgets it. */
  clear(): void {
    for (const timer of this.#restExpiry.values()) timer.cancel();
    this.#restExpiry.clear();
    this.quiesce();
    this.#client.clear();
    this.#rest.clear();
  }

  /**
   * REST-made subscriptions apply to every socket of their user, whichever account the socket's
   * token is bound to (the user chose to receive them); membership is what they still need.
   */
  isMember(accountId: string): boolean {
    return this.#owner.identity()?.principal.memberships.some((m) => m.accountId === accountId) ?? false;
  }

  #error(message: Json, code: string, text: string): void {
    this.#owner.sendJson(errorFrame(message, code, text));
  }
}
