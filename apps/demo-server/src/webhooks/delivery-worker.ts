import type { OutboundHttp } from '../http/outbound.js';

/** A delivery claimed by this worker, with what it takes to send it. */
export interface DueDelivery {
  uuid: string;
  url: string;
  secret: string;
  eventId: string;
  /** The exact body to send and sign: the event object as JSON, fixed when the event was recorded. */
  body: string;
  /** Attempts made so far. */
  attempts: number;
}

export interface AttemptRecord {
  attempt: number;
  status: number | null;
  error: string | null;
  durationMs: number;
  attemptedOn: number;
}

export interface DeliveryOutcome {
  state: 'pending' | 'delivered' | 'failed';
  nextAttemptOn: number | null;
}

/** Storage the worker needs; every method is one short transaction. */
export interface DeliveryQueue {
  /** Claims up to `limit` pending deliveries due at `now`, locking them until `lockUntil`. */
  claimDue(now: number, limit: number, lockUntil: number): Promise<DueDelivery[]>;
  /** Records one attempt and the delivery's new state, and releases the claim. */
  record(uuid: string, attempt: AttemptRecord, outcome: DeliveryOutcome): Promise<void>;
  /** Releases a claim without recording an attempt (shutdown interrupted it). */
  release(uuid: string): Promise<void>;
  /** When the next unclaimed pending delivery is due (epoch ms), or null. */
  nextDue(now: number): Promise<number | null>;
}

export interface DeliveryWorkerOptions {
  queue: DeliveryQueue;
  /** Server clock, epoch ms (schedules); signatures always use the wall clock receivers compare with. */
  now: () => number;
  /** The simulated network's speed: retry delays are divided by it. */
  simSpeed: number;
  /** Per-attempt timeout (10 s). Not scaled: it protects the server, it is not simulated time. */
  timeoutMs: number;
  /** Delays before the retries (1 s, 5 s, 30 s, 5 min, 30 min); one attempt more than entries. */
  backoffMs: readonly number[];
  /** How often to look for due deliveries made by other instances or left by a restart. */
  pollMs: number;
  concurrency: number;
  /** Sends, signs and applies the address policy (a URL may resolve somewhere refused later). */
  outbound: OutboundHttp;
  logError: (error: unknown, message: string) => void;
}

export const DEFAULT_BACKOFF_MS = [1_000, 5_000, 30_000, 300_000, 1_800_000] as const;

/** A claim outlives the attempt by this much, so a crashed instance's claims expire on their own. */
const CLAIM_MARGIN_MS = 30_000;

/**
 * Sends webhook deliveries. Deliveries live in the database (written in the same transaction as
 * their event), so a restart resumes them; each attempt is recorded; failures retry on the backoff
 * schedule scaled by the simulation speed, then the delivery is marked failed.
 */
export class DeliveryWorker {
  readonly #options: DeliveryWorkerOptions;
  readonly #inFlight = new Map<string, AbortController>();
  /** Attempts under way, recording included. */
  readonly #active = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #again = false;
  #running = false;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.wake();
  }

  /** Looks for due deliveries now (new deliveries were committed). */
  wake(): void {
    if (!this.#running) return;
    if (this.#ticking !== undefined) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#ticking = this.#tick()
      .catch((error: unknown) => this.#options.logError(error, 'webhook worker tick failed'))
      .finally(() => {
        this.#ticking = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** Stops: in-flight attempts get `graceMs` to finish, then are aborted and their claims released. */
  async stop(graceMs = 1000): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#ticking;
    if (this.#active.size === 0) return;
    const timer = setTimeout(() => {
      for (const controller of this.#inFlight.values()) controller.abort(new Error('shutdown'));
    }, graceMs);
    await Promise.all([...this.#active]);
    clearTimeout(timer);
  }

  /**
   * Claims as many due deliveries as there are free slots and starts them without waiting: a slow
   * receiver (up to the 10 s timeout) holds one slot, not the whole queue. Each finished attempt
   * wakes the worker again; otherwise it sleeps until the next delivery is due or the poll interval.
   */
  async #tick(): Promise<void> {
    const { queue, now, timeoutMs, concurrency, pollMs } = this.#options;
    if (!this.#running) return;
    const free = concurrency - this.#active.size;
    if (free > 0) {
      const at = now();
      const due = await queue.claimDue(at, free, at + timeoutMs + CLAIM_MARGIN_MS);
      for (const delivery of due) {
        const running: Promise<void> = this.#deliver(delivery)
          .catch((error: unknown) => this.#options.logError(error, 'webhook delivery failed'))
          .finally(() => {
            this.#active.delete(running);
            this.wake();
          });
        this.#active.add(running);
      }
      if (due.length === free) return; // full: a finishing attempt wakes us
    } else {
      return;
    }
    if (!this.#running) return;
    const next = await queue.nextDue(now());
    const wait = next === null ? pollMs : Math.max(0, Math.min(pollMs, next - now()));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.wake(), wait);
    this.#timer.unref?.();
  }

  async #deliver(delivery: DueDelivery): Promise<void> {
    const { queue, now, timeoutMs, backoffMs, simSpeed } = this.#options;
    const controller = new AbortController();
    this.#inFlight.set(delivery.uuid, controller);
    const attempt = delivery.attempts + 1;
    const attemptedOn = now();
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    const timeout = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
    try {
      // The answer's body is read (so the connection can be reused) and never kept.
      const response = await this.#options.outbound.post({
        url: delivery.url,
        body: delivery.body,
        secret: delivery.secret,
        headers: {
          'callwire-event-id': delivery.eventId,
          'callwire-delivery-id': delivery.uuid,
          'callwire-attempt': String(attempt),
        },
        signal: controller.signal,
        // The worker's own timer (timeoutMs) aborts first; this only bounds a stuck socket.
        timeoutMs: timeoutMs + 1_000,
        maxResponseBytes: 0,
      });
      status = response.status;
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (cause) {
      if (controller.signal.aborted && !this.#running) {
        // Interrupted by shutdown: not the receiver's fault, and not an attempt; resume after restart.
        clearTimeout(timeout);
        this.#inFlight.delete(delivery.uuid);
        await queue.release(delivery.uuid).catch((e: unknown) => this.#options.logError(e, 'release failed'));
        return;
      }
      error = controller.signal.aborted ? `timeout after ${timeoutMs} ms` : describeSendError(cause);
    } finally {
      clearTimeout(timeout);
      this.#inFlight.delete(delivery.uuid);
    }
    const durationMs = Math.round(performance.now() - started);
    let outcome: DeliveryOutcome;
    if (error === null) {
      outcome = { state: 'delivered', nextAttemptOn: null };
    } else {
      const delay = backoffMs[attempt - 1];
      outcome =
        delay === undefined
          ? { state: 'failed', nextAttemptOn: null }
          : { state: 'pending', nextAttemptOn: now() + Math.round(delay / simSpeed) };
    }
    await queue.record(
      delivery.uuid,
      { attempt, status, error: error?.slice(0, 500) ?? null, durationMs, attemptedOn },
      outcome,
    );
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
