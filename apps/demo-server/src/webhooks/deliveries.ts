import { areaDb } from '../db/area-db.js';
import type { Database } from '../db/schema.js';
import type { EventService } from '../events/event-service.js';
import type { EventsDb } from '../events/event-store.js';
import type { RecordedEvent } from '../events/event-types.js';
import type { EventsTables } from '../events/tables.js';
import type { OutboundHttp } from '../http/outbound.js';
import type { TelephonyTables } from '../telephony/db/tables.js';
import type { SimRuntime } from '../telephony/sim/runtime.js';
import type { StepsPlannedMessage } from '../telephony/sim/sim-transaction.js';
import type { StepStore } from '../telephony/sim/step-store.js';
import type { StepWorker } from '../telephony/sim/step-worker.js';
import { DeliverySteps } from './delivery-step.js';
import { DeliveryStore } from './delivery-store.js';
import { enqueueDeliveries } from './outbox.js';
import { activeWebhooksJson, parseActiveWebhooks } from './subscription-store.js';

export interface WebhookDeliveriesDeps {
  db: EventsDb;
  /** The database for the step worker's reads (its own connections on PostgreSQL). */
  background: EventsDb;
  events: EventService<Database>;
  /** The server's one step worker, its store and time. */
  steps: { worker: StepWorker; store: StepStore; runtime: SimRuntime };
  outbound: OutboundHttp;
  /** Per-attempt timeout (real ms). */
  timeoutMs: number;
  /** Delays before the retries, in simulated ms. */
  backoffMs: readonly number[];
}

/**
 * Webhook deliveries on the step worker: every event transaction writes the deliveries of the
 * events it records with the steps of their first attempts, and a notification that tells every
 * instance (the one the simulated network's steps use); the worker sends them from its outbound pool.
 */
export function setupWebhookDeliveries(deps: WebhookDeliveriesDeps): void {
  const { events, steps } = deps;
  new DeliverySteps({
    store: new DeliveryStore(deps.background),
    now: () => steps.runtime.now(),
    dueAt: (simMs, fromMs) => steps.runtime.dueAt(simMs, fromMs),
    outbound: deps.outbound,
    timeoutMs: deps.timeoutMs,
    backoffMs: deps.backoffMs,
  }).register(steps.worker);
  const writer = {
    insert: (trx: EventsDb, planned: Parameters<StepStore['insert']>[1], nowMs: number) =>
      steps.store.insert(areaDb<TelephonyTables>(trx), planned, nowMs),
  };
  const made = new WeakMap<readonly RecordedEvent[], number>();
  events.onBeforeCommit(
    async (trx, recorded, read) => {
      const now = steps.runtime.now();
      const n = await enqueueDeliveries(areaDb<EventsTables>(trx), recorded, now, writer, read);
      if (n === 0) return;
      made.set(recorded, now);
      const planned: StepsPlannedMessage = { kind: 'sim_steps', due: now };
      await events.controlInTransaction(trx, planned);
    },
    // On PostgreSQL the subscriptions are read by the statement that writes the events.
    {
      query: (accounts) => activeWebhooksJson(deps.db, accounts, new Date(steps.runtime.now()).toISOString()),
      parse: parseActiveWebhooks,
    },
  );
  events.onAfterCommit((recorded) => {
    const due = made.get(recorded);
    if (due !== undefined) steps.worker.nudge(due);
  });
}
