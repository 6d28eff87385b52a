import type { EventsDb } from '../events/event-store.js';
import type { AttemptRecord, DeliveryOutcome, DeliveryQueue, DueDelivery } from './delivery-worker.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The worker's view of `webhook_delivery`. A claim is an optimistic conditional update of
 * `locked_until`, so two server instances sharing PostgreSQL never send the same attempt twice.
 */
export class SqlDeliveryQueue implements DeliveryQueue {
  readonly #db: EventsDb;

  constructor(db: EventsDb) {
    this.#db = db;
  }

  async claimDue(now: number, limit: number, lockUntil: number): Promise<DueDelivery[]> {
    const nowIso = iso(now);
    const candidates = await this.#db
      .selectFrom('webhook_delivery as d')
      .innerJoin('event_subscription as s', 's.uuid', 'd.subscription_id')
      .select(['d.uuid', 'd.event_id', 'd.body', 'd.attempts', 's.url', 's.signing_secret'])
      .where('d.state', '=', 'pending')
      .where('d.next_attempt_on', '<=', nowIso)
      .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<', nowIso)]))
      .orderBy('d.next_attempt_on', 'asc')
      .orderBy('d.seq', 'asc')
      .limit(limit)
      .execute();
    const claimed: DueDelivery[] = [];
    for (const c of candidates) {
      const result = await this.#db
        .updateTable('webhook_delivery')
        .set({ locked_until: iso(lockUntil) })
        .where('uuid', '=', c.uuid)
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) continue;
      if (c.url === null || c.signing_secret === null) {
        await this.record(
          c.uuid,
          {
            attempt: c.attempts + 1,
            status: null,
            error: 'subscription has no url',
            durationMs: 0,
            attemptedOn: now,
          },
          { state: 'failed', nextAttemptOn: null },
        );
        continue;
      }
      claimed.push({
        uuid: c.uuid,
        url: c.url,
        secret: c.signing_secret,
        eventId: c.event_id,
        body: c.body,
        attempts: Number(c.attempts),
      });
    }
    return claimed;
  }

  async record(uuid: string, attempt: AttemptRecord, outcome: DeliveryOutcome): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
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
      await trx
        .updateTable('webhook_delivery')
        .set({
          state: outcome.state,
          attempts: attempt.attempt,
          last_status: attempt.status,
          last_error: attempt.error,
          next_attempt_on: outcome.nextAttemptOn === null ? null : iso(outcome.nextAttemptOn),
          locked_until: null,
          modified_on: iso(attempt.attemptedOn + attempt.durationMs),
        })
        .where('uuid', '=', uuid)
        .execute();
    });
  }

  async release(uuid: string): Promise<void> {
    await this.#db
      .updateTable('webhook_delivery')
      .set({ locked_until: null })
      .where('uuid', '=', uuid)
      .execute();
  }

  /** Drops every claim: only for a single-instance (SQLite) server starting up after a crash. */
  async releaseAll(): Promise<void> {
    await this.#db
      .updateTable('webhook_delivery')
      .set({ locked_until: null })
      .where('state', '=', 'pending')
      .where('locked_until', 'is not', null)
      .execute();
  }

  async nextDue(now: number): Promise<number | null> {
    const nowIso = iso(now);
    const row = await this.#db
      .selectFrom('webhook_delivery')
      .select('next_attempt_on')
      .where('state', '=', 'pending')
      // Claimed ones are someone's work in progress; polling finds them if that someone dies.
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
      .orderBy('next_attempt_on', 'asc')
      .limit(1)
      .executeTakeFirst();
    if (row?.next_attempt_on == null) return null;
    return Date.parse(row.next_attempt_on);
  }
}
