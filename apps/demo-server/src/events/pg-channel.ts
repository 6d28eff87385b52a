import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { PublishedEvent } from './published-event.js';

/**
 * The LISTEN/NOTIFY channel every server instance of one database (and schema) shares. Channels
 * are database-wide while data is per schema, so a schema gets its own channel: two servers on
 * different schemas of one database (parallel tests) never see each other's events.
 */
export function channelName(schema: string | undefined): string {
  if (schema === undefined) return 'callwire_events';
  return `callwire_events_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7900;

/**
 * A message between instances. Events travel inside the committing transaction (`pg_notify` is
 * delivered at commit, to every listener, in commit order), so every instance, this one included,
 * sees an account's events in seq order and only once committed. `ref` stands for events too large
 * for a notification: the receiver reads them from the table.
 */
export type ChannelMessage =
  | { kind: 'events'; accountId: string; events: PublishedEvent[] }
  | { kind: 'ref'; accountId: string; fromSeq: number; toSeq: number }
  | { kind: 'control'; body: unknown };

/** Encodes one transaction's events of one account into as few payloads as fit. */
export function encodeEvents(accountId: string, events: readonly PublishedEvent[]): string[] {
  const payloads: string[] = [];
  const head = `e\n${accountId}`;
  let current = head;
  let count = 0;
  const flush = (): void => {
    if (count > 0) payloads.push(current);
    current = head;
    count = 0;
  };
  for (const e of events) {
    // JSON never contains a raw newline, so lines are a safe frame.
    const line = `\n${e.seq} ${e.type} ${e.json}`;
    if (Buffer.byteLength(head) + Buffer.byteLength(line) > MAX_PAYLOAD) {
      flush();
      payloads.push(`r\n${accountId}\n${e.seq}\n${e.seq}`);
      continue;
    }
    if (Buffer.byteLength(current) + Buffer.byteLength(line) > MAX_PAYLOAD) flush();
    current += line;
    count++;
  }
  flush();
  return payloads;
}

export function encodeControl(body: unknown): string {
  const payload = `c\n${JSON.stringify(body)}`;
  if (Buffer.byteLength(payload) > MAX_PAYLOAD) throw new Error('control message too large');
  return payload;
}

export function decode(payload: string): ChannelMessage | undefined {
  const lines = payload.split('\n');
  const kind = lines[0];
  if (kind === 'c') return { kind: 'control', body: JSON.parse(payload.slice(2)) };
  const accountId = lines[1];
  if (accountId === undefined) return undefined;
  if (kind === 'r') {
    return { kind: 'ref', accountId, fromSeq: Number(lines[2]), toSeq: Number(lines[3]) };
  }
  if (kind !== 'e') return undefined;
  const events: PublishedEvent[] = [];
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i]!;
    const a = line.indexOf(' ');
    const b = line.indexOf(' ', a + 1);
    events.push({
      accountId,
      seq: Number(line.slice(0, a)),
      type: line.slice(a + 1, b),
      json: line.slice(b + 1),
    });
  }
  return { kind: 'events', accountId, events };
}

/** Queues payloads on the caller's transaction; PostgreSQL sends them at commit. */
export async function notifyInTransaction<DB>(
  trx: Kysely<DB>,
  channel: string,
  payloads: readonly string[],
): Promise<void> {
  if (payloads.length === 0) return;
  // One statement for all of them: one round trip, whatever the count. Delivery keeps this order.
  const calls = sql.join(payloads.map((payload) => sql`pg_notify(${channel}, ${payload})`));
  await sql`select ${calls}`.execute(trx);
}

/**
 * The listening side: one dedicated connection (LISTEN cannot share a pooled one), handled one
 * notification at a time so that a `ref` read never lets a later notification overtake it.
 * Reconnects with backoff if the connection drops.
 */
export class PgListener {
  readonly #url: string;
  readonly #channel: string;
  readonly #onMessage: (message: ChannelMessage) => Promise<void> | void;
  readonly #onReconnect: () => Promise<void>;
  readonly #logError: (error: unknown, message: string) => void;
  #client: pg.Client | undefined;
  /** The connection being opened or open; events of older ones are ignored. */
  #current: pg.Client | undefined;
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(options: {
    url: string;
    channel: string;
    onMessage: (message: ChannelMessage) => Promise<void> | void;
    /** Runs (in order with notifications) after a dropped connection listens again. */
    onReconnect: () => Promise<void>;
    logError: (error: unknown, message: string) => void;
  }) {
    this.#url = options.url;
    this.#channel = options.channel;
    this.#onMessage = options.onMessage;
    this.#onReconnect = options.onReconnect;
    this.#logError = options.logError;
  }

  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(attempt = 0): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    this.#current = client;
    client.on('notification', (n) => {
      if (n.channel !== this.#channel || n.payload === undefined) return;
      const payload = n.payload;
      this.#queue = this.#queue
        .then(() => {
          const message = decode(payload);
          return message === undefined ? undefined : this.#onMessage(message);
        })
        .catch((error: unknown) => this.#logError(error, 'event notification failed'));
    });
    client.on('error', (error) => {
      if (!this.#stopped) this.#logError(error, 'event listener connection failed');
      this.#reconnect(client, 1);
    });
    client.on('end', () => this.#reconnect(client, 1));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.#channel}`);
      this.#client = client;
      if (attempt > 0) {
        // Notifications sent while we were not listening are lost: catch up from the table.
        this.#queue = this.#queue
          .then(() => this.#onReconnect())
          .catch((error: unknown) => this.#logError(error, 'event catch-up failed'));
      }
    } catch (error) {
      if (attempt === 0) throw error;
      this.#reconnect(client, attempt + 1, true);
    }
  }

  #reconnect(client: pg.Client, attempt: number, failedToConnect = false): void {
    // Only the current connection's end counts: a replaced one ending later changes nothing.
    if (this.#stopped || this.#retry !== undefined || client !== this.#current) return;
    if (!failedToConnect && this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    const delay = Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (!this.#stopped) void this.#connect(attempt);
    }, delay);
    this.#retry.unref?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await this.#queue;
    if (client !== undefined) await client.end().catch(() => undefined);
  }
}
