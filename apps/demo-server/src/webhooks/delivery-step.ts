import { areaDb } from '../db/area-db.js';
import type { EventsTables } from '../events/tables.js';
import type { OutboundHttp } from '../http/outbound.js';
import type { StepRun } from '../telephony/sim/step-handler.js';
import type { NewStep, Step } from '../telephony/sim/step-store.js';
import type { StepWorker } from '../telephony/sim/step-worker.js';
import type { AttemptRecord, DeliveryStore } from './delivery-store.js';

/** The step kind of a webhook delivery attempt; its target is the delivery. */
export const DELIVERY_STEP = 'webhook.delivery';

/** What a delivery step carries: the attempt it makes (1 for the first). */
interface DeliveryStepPayload {
  attempt: number;
}

export const DEFAULT_BACKOFF_MS = [1_000, 5_000, 30_000, 300_000, 1_800_000] as const;

/** The step of a delivery's attempt number `attempt`, due at `dueMs` (server clock). */
export function deliveryStep(uuid: string, accountId: string, attempt: number, dueMs: number): NewStep {
  const payload: DeliveryStepPayload = { attempt };
  return { kind: DELIVERY_STEP, target: uuid, accountId, payload, dueMs };
}

export interface DeliveryStepsOptions {
  store: DeliveryStore;
  /** Server clock, epoch ms (attempt times); signatures use the wall clock receivers compare with. */
  now: () => number;
  /** When a delay of `simMs` simulated ms from `fromMs` falls on the server clock (the sim speed). */
  dueAt: (simMs: number, fromMs: number) => number;
  /** Sends, signs and applies the address policy (a URL may resolve somewhere refused later). */
  outbound: OutboundHttp;
  /** Per-attempt timeout (real ms). Not scaled by the sim speed: it protects the server. */
  timeoutMs: number;
  /**
   * Delays before the retries, in simulated ms (divided by the sim speed); one attempt more than
   * entries, then the delivery is failed.
   */
  backoffMs: readonly number[];
}

/** What the send (outside any transaction) hands to the recording transaction. */
type Sent = { attempt: AttemptRecord } | { gone: true };

/**
 * Webhook deliveries as steps of the one step worker. Each attempt is a step (kind
 * {@link DELIVERY_STEP}, target the delivery, payload the attempt number) written in the
 * transaction of the event, or of the attempt before it. The worker runs it in its outbound pool:
 * the request is sent outside any transaction (claim held and renewed meanwhile), then one
 * transaction records the attempt and plans the retry while the claim still holds. A claim that
 * lapsed mid-send (the instance stalled) lets another instance send the same attempt again, so a
 * receiver may see an attempt twice: webhooks are at least once, and `Callwire-Delivery-Id` with
 * `Callwire-Attempt` tells the copies apart.
 */
export class DeliverySteps {
  readonly #o: DeliveryStepsOptions;

  constructor(options: DeliveryStepsOptions) {
    this.#o = options;
  }

  register(worker: StepWorker): void {
    worker.handle<Sent>(
      DELIVERY_STEP,
      {
        prepare: (step, _extend, signal) => this.#send(step, signal),
        run: (run) => this.#record(run),
      },
      { outbound: true },
    );
  }

  async #send(step: Step, shutdown: AbortSignal): Promise<Sent> {
    const { store, now, timeoutMs, outbound } = this.#o;
    const { attempt } = step.payload as DeliveryStepPayload;
    const delivery = await store.toSend(step.target);
    // Already recorded (a copy of this step ran), or stopped when its subscription was deleted.
    if (delivery === undefined || delivery.state !== 'pending' || delivery.attempts !== attempt - 1) {
      return { gone: true };
    }
    const attemptedOn = now();
    if (delivery.url === null || delivery.secret === null) {
      return {
        attempt: { attempt, status: null, error: 'subscription has no url', durationMs: 0, attemptedOn },
      };
    }
    shutdown.throwIfAborted();
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
    const stop = () => controller.abort(shutdown.reason);
    shutdown.addEventListener('abort', stop, { once: true });
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      // The answer's body is read (so the connection can be reused) and never kept.
      const response = await outbound.post({
        url: delivery.url,
        body: delivery.body,
        secret: delivery.secret,
        headers: {
          'callwire-event-id': delivery.eventId,
          'callwire-delivery-id': delivery.uuid,
          'callwire-attempt': String(attempt),
        },
        signal: controller.signal,
        // Our own timer (timeoutMs) aborts first; this only bounds a stuck socket.
        timeoutMs: timeoutMs + 1_000,
        maxResponseBytes: 0,
      });
      status = response.status;
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (cause) {
      // Interrupted by shutdown: not the receiver's fault and not an attempt; the worker releases
      // the step for the next instance.
      if (shutdown.aborted) throw cause;
      error = controller.signal.aborted ? `timeout after ${timeoutMs} ms` : describeSendError(cause);
    } finally {
      clearTimeout(timeout);
      shutdown.removeEventListener('abort', stop);
    }
    const durationMs = Math.round(performance.now() - started);
    return { attempt: { attempt, status, error: error?.slice(0, 500) ?? null, durationMs, attemptedOn } };
  }

  async #record({ trx, step, prepared, schedule }: StepRun<Sent>): Promise<void> {
    if ('gone' in prepared) return;
    const { attempt } = prepared;
    const delay = attempt.error === null ? undefined : this.#o.backoffMs[attempt.attempt - 1];
    if (attempt.error === null || delay === undefined) {
      const state = attempt.error === null ? 'delivered' : 'failed';
      await this.#o.store.record(areaDb<EventsTables>(trx), step.target, attempt, {
        state,
        nextAttemptOn: null,
      });
      return;
    }
    const from = this.#o.now();
    const recorded = await this.#o.store.record(areaDb<EventsTables>(trx), step.target, attempt, {
      state: 'pending',
      nextAttemptOn: this.#o.dueAt(delay, from),
    });
    if (!recorded) return;
    schedule({
      kind: DELIVERY_STEP,
      target: step.target,
      accountId: step.accountId,
      payload: { attempt: attempt.attempt + 1 } satisfies DeliveryStepPayload,
      inSimMs: delay,
      fromMs: from,
    });
  }
}

function describeSendError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${error.message} (${code})`
      : error.message;
  }
  return String(error);
}
