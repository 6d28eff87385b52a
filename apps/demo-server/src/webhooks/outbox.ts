import { randomUUID } from 'node:crypto';
import { matchesAnyEventPattern } from '@callwire/types';
import type { EventsDb } from '../events/event-store.js';
import type { RecordedEvent } from '../events/event-types.js';
import type { NewStep } from '../telephony/sim/step-store.js';
import { deliveryStep } from './delivery-step.js';
import { DeliveryStore } from './delivery-store.js';
import { type ActiveWebhook, activeWebhooksFor } from './subscription-store.js';

/** Writes steps inside the caller's transaction (the step worker's store). */
export interface StepWriter {
  insert(trx: EventsDb, steps: readonly NewStep[], nowMs: number): Promise<void>;
}

/**
 * Creates one pending delivery per (event, matching active webhook subscription) inside the
 * emitting transaction, with the step of its first attempt, due now: an event, its deliveries and
 * their steps commit together, so neither a crash nor a restart loses a delivery, and any instance
 * can send it. `read` is the live subscriptions of the events' accounts when already read in the
 * transaction (PostgreSQL); otherwise they are read here. Returns how many were created (the step
 * worker is woken when > 0).
 */
export async function enqueueDeliveries(
  db: EventsDb,
  events: readonly RecordedEvent[],
  nowMs: number,
  steps: StepWriter,
  read?: readonly ActiveWebhook[],
): Promise<number> {
  const nowIso = new Date(nowMs).toISOString();
  const accounts = [...new Set(events.map((e) => e.accountId))];
  const subscriptions = read ?? (await activeWebhooksFor(db, accounts, nowIso));
  if (subscriptions.length === 0) return 0;
  const rows = [];
  for (const sub of subscriptions) {
    const patterns = JSON.parse(sub.types) as string[];
    for (const event of events) {
      if (event.accountId !== sub.account_id || !matchesAnyEventPattern(event.type, patterns)) continue;
      rows.push({
        uuid: randomUUID(),
        subscription_id: sub.uuid,
        account_id: event.accountId,
        event_id: event.uuid,
        event_type: event.type,
        seq: event.seq,
        body: event.json,
        state: 'pending' as const,
        attempts: 0,
        last_status: null,
        last_error: null,
        next_attempt_on: nowIso,
        created_on: nowIso,
        modified_on: nowIso,
      });
    }
  }
  // Chunked: SQLite limits bound parameters per statement.
  const deliveries = new DeliveryStore(db);
  for (let i = 0; i < rows.length; i += 50) {
    const chunk = rows.slice(i, i + 50);
    await deliveries.insert(chunk);
    await steps.insert(
      db,
      chunk.map((r) => deliveryStep(r.uuid, r.account_id, 1, nowMs)),
      nowMs,
    );
  }
  return rows.length;
}
