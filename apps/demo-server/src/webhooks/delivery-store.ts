import type { Insertable } from 'kysely';
import type { EventsDb } from '../events/event-store.js';
import type { WebhookDeliveryTable } from '../events/tables.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A delivery as its next attempt needs it: what to send, where, and how to sign it. */
export interface DeliveryToSend {
  uuid: string;
  eventId: string;
  /** The exact body to send and sign: the event object as JSON, fixed when the event was recorded. */
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  /** Attempts made so far. */
  attempts: number;
  /** Null when the subscription has no URL (or is gone): the attempt fails without a request. */
  url: string | null;
  secret: string | null;
}

/** One attempt as recorded in the delivery's attempt log. */
export interface AttemptRecord {
  attempt: number;
  status: number | null;
  error: string | null;
  durationMs: number;
  attemptedOn: number;
}

/** Where a delivery stands after an attempt: `nextAttemptOn` is set while it is pending. */
export interface DeliveryOutcome {
  state: 'pending' | 'delivered' | 'failed';
  nextAttemptOn: number | null;
}

/**
 * `webhook_delivery` and `webhook_attempt`: the delivery records the API lists. When each attempt
 * runs is not kept here but in the step it is (see delivery-step.ts).
 */
export class DeliveryStore {
  readonly #db: EventsDb;

  constructor(db: EventsDb) {
    this.#db = db;
  }

  /** Writes new deliveries (at most 50 at a time: SQLite bounds the parameters of a statement). */
  async insert(rows: Insertable<WebhookDeliveryTable>[]): Promise<void> {
    await this.#db.insertInto('webhook_delivery').values(rows).execute();
  }

  /** The delivery and its subscription's address, read before an attempt (outside any transaction). */
  async toSend(uuid: string): Promise<DeliveryToSend | undefined> {
    const row = await this.#db
      .selectFrom('webhook_delivery as d')
      .leftJoin('event_subscription as s', 's.uuid', 'd.subscription_id')
      .select(['d.uuid', 'd.event_id', 'd.body', 'd.state', 'd.attempts', 's.url', 's.signing_secret'])
      .where('d.uuid', '=', uuid)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      uuid: row.uuid,
      eventId: row.event_id,
      body: row.body,
      state: row.state,
      attempts: Number(row.attempts),
      url: row.url ?? null,
      secret: row.signing_secret ?? null,
    };
  }

  /**
   * Records one attempt and the delivery's new state inside the caller's transaction, only if the
   * delivery is still pending at the attempt before this one; false otherwise (its subscription was
   * deleted meanwhile, or the attempt was recorded already), and nothing is written.
   */
  async record(
    trx: EventsDb,
    uuid: string,
    attempt: AttemptRecord,
    outcome: DeliveryOutcome,
  ): Promise<boolean> {
    const updated = await trx
      .updateTable('webhook_delivery')
      .set({
        state: outcome.state,
        attempts: attempt.attempt,
        last_status: attempt.status,
        last_error: attempt.error,
        next_attempt_on: outcome.nextAttemptOn === null ? null : iso(outcome.nextAttemptOn),
        modified_on: iso(attempt.attemptedOn + attempt.durationMs),
      })
      .where('uuid', '=', uuid)
      .where('state', '=', 'pending')
      .where('attempts', '=', attempt.attempt - 1)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await trx
      .insertInto('webhook_attempt')
      .values({
        delivery_id: uuid,
        attempt: attempt.attempt,
        status: attempt.status,
        error: attempt.error,
        duration_ms: attempt.durationMs,
        attempted_on: iso(attempt.attemptedOn),
      })
      .execute();
    return true;
  }
}
