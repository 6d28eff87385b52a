import { randomUUID } from 'node:crypto';
import type { EventBus } from './event-bus.js';
import * as store from './event-store.js';
import { type ChannelMessage, encodeControl, notifyInTransaction, PgListener } from './pg-channel.js';
import type { PublishedEvent } from './published-event.js';

export interface ChannelFeedOptions {
  db: store.EventsDb;
  url: string;
  channel: string;
  /** Where committed events go, per account in seq order, each once. */
  bus: EventBus;
  /** Receives the control messages of every instance (this one too). */
  onControl: (body: unknown) => void;
  logError: (error: unknown, message: string) => void;
}

/**
 * PostgreSQL: what every instance hears of the events committed by any instance. Each emitting
 * transaction sends its events as notifications, which arrive in commit order; this hands them to
 * the bus, and reads back from the table whatever did not come whole in a notification (a payload
 * too large, or notifications missed while the listening connection was down).
 */
export class ChannelFeed {
  readonly #o: ChannelFeedOptions;
  readonly #listener: PgListener;
  /** Highest seq handed to the bus per account: a jump means missed notifications to read back. */
  readonly #delivered = new Map<string, number>();
  readonly #flushWaiters = new Map<string, () => void>();

  constructor(options: ChannelFeedOptions) {
    this.#o = options;
    this.#listener = new PgListener({
      url: options.url,
      channel: options.channel,
      onMessage: (m) => this.#onChannel(m),
      onReconnect: () => this.#catchUp(),
      logError: options.logError,
    });
  }

  start(): Promise<void> {
    return this.#listener.start();
  }

  stop(): Promise<void> {
    return this.#listener.stop();
  }

  /**
   * Resolves once every event committed before the call has been handed to the bus: a marker sent
   * now arrives after all of them (notifications are delivered in commit order), or after
   * `timeoutMs`.
   */
  async flush(timeoutMs: number): Promise<void> {
    const id = randomUUID();
    const received = new Promise<void>((resolve) => this.#flushWaiters.set(id, resolve));
    let timer: NodeJS.Timeout | undefined;
    try {
      await notifyInTransaction(this.#o.db, this.#o.channel, [encodeControl({ kind: 'flush', id })]);
      await Promise.race([received, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    } finally {
      clearTimeout(timer);
      this.#flushWaiters.delete(id);
    }
  }

  async #onChannel(message: ChannelMessage): Promise<void> {
    if (message.kind === 'control') {
      const body = message.body as { kind?: unknown; id?: unknown };
      if (body?.kind === 'flush') {
        if (typeof body.id === 'string') this.#flushWaiters.get(body.id)?.();
        return;
      }
      this.#o.onControl(message.body);
      return;
    }
    const { accountId } = message;
    const first = message.kind === 'events' ? message.events[0]?.seq : message.fromSeq;
    const last = message.kind === 'events' ? message.events[message.events.length - 1]?.seq : message.toSeq;
    if (first === undefined || last === undefined) return;
    const known = this.#delivered.get(accountId);
    // Read from the table what did not come in the notification: a `ref` (too large), or a jump in
    // seq because notifications were missed while the listening connection was down.
    const from =
      known !== undefined && known < first - 1 ? known : message.kind === 'ref' ? first - 1 : undefined;
    if (from !== undefined) {
      const missing = await this.#readRange(accountId, from, message.kind === 'ref' ? last : first - 1);
      this.#deliver(accountId, missing);
    }
    if (message.kind === 'events') this.#deliver(accountId, message.events);
  }

  /** After the listening connection came back: hand over what was committed meanwhile. */
  async #catchUp(): Promise<void> {
    for (const [accountId, known] of [...this.#delivered]) {
      const last = await store.lastSeq(this.#o.db, accountId);
      if (last > known) this.#deliver(accountId, await this.#readRange(accountId, known, last));
    }
  }

  async #readRange(accountId: string, afterSeq: number, toSeq: number): Promise<PublishedEvent[]> {
    const out: PublishedEvent[] = [];
    let after = afterSeq;
    while (after < toSeq) {
      const page = await store.readAfter(this.#o.db, accountId, after, Math.min(1000, toSeq - after));
      if (page.length === 0) break;
      for (const e of page) if (e.seq <= toSeq) out.push(e);
      after = page[page.length - 1]!.seq;
    }
    return out;
  }

  #deliver(accountId: string, events: readonly PublishedEvent[]): void {
    const known = this.#delivered.get(accountId) ?? 0;
    const fresh = events.filter((e) => e.seq > known);
    if (fresh.length === 0) return;
    this.#delivered.set(accountId, fresh[fresh.length - 1]!.seq);
    this.#o.bus.deliver(accountId, fresh);
  }
}
