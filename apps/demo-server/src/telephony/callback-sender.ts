import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { OutboundHttp } from '../http/outbound.js';
import { callbackSecret } from '../identity/callback-secret-store.js';

/** How long an SMS status callback may take before it is given up (sent once, not retried). */
const CALLBACK_TIMEOUT_MS = 5_000;

/** The part of a recorded event a callback needs besides its body. */
interface CallbackEvent {
  uuid: string;
  account_id: string;
}

/**
 * Sends an SMS status callback (`custom_callback_url` or a messaging profile's `callback_url`)
 * exactly as a webhook delivery is sent: the event as the JSON body, `Callwire-Event-Id`,
 * `Callwire-Delivery-Id`, `Callwire-Attempt` (always 1: a callback is sent once) and
 * `Callwire-Signature` made with the account's callback signing secret.
 */
export class CallbackSender {
  readonly #db: Kysely<Database>;
  readonly #outbound: OutboundHttp;
  readonly #now: () => number;

  constructor(options: { db: Kysely<Database>; outbound: OutboundHttp; now: () => number }) {
    this.#db = options.db;
    this.#outbound = options.outbound;
    this.#now = options.now;
  }

  /** Resolves with the receiver's status; rejects when it could not be reached or was refused. */
  async send(url: string, event: unknown): Promise<number> {
    const { uuid, account_id } = event as CallbackEvent;
    const { secret } = await callbackSecret(this.#db, account_id, this.#now());
    const response = await this.#outbound.post({
      url,
      body: JSON.stringify(event),
      secret,
      timeoutMs: CALLBACK_TIMEOUT_MS,
      headers: { 'callwire-event-id': uuid, 'callwire-delivery-id': randomUUID(), 'callwire-attempt': '1' },
    });
    return response.status;
  }
}
