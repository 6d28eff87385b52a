import { DEFAULT_REALTIME_LIMITS, type RealtimeLimits } from '../realtime/ports.js';
import { DEFAULT_BACKOFF_MS } from '../webhooks/delivery-step.js';

/**
 * Tuning of the events area, given to startServer: tests shorten the timeouts instead of sleeping
 * through 10 s or 60 s; the bench raises the connection limit.
 *
 * ```ts
 * startServer({ realtime: { authTimeoutMs: 200, maxConnectionsPerUser: 2 }, webhooks: { timeoutMs: 500 } })
 * ```
 */
export interface EventsTuning {
  /** Websocket limits; each one left out keeps its default. @default DEFAULT_REALTIME_LIMITS */
  realtime?: Partial<RealtimeLimits>;
  /** Webhook delivery timing; each field left out keeps its default. @default the fields' defaults */
  webhooks?: {
    /** How long one delivery attempt may take. @default 10000 */
    timeoutMs?: number;
    /** Delays before each retry, before the sim-speed scaling. @default DEFAULT_BACKOFF_MS */
    backoffMs?: readonly number[];
  };
  /**
   * Check every emitted event against the contract and throw on a mismatch. Otherwise a sample of
   * each type's events is checked (the first 100, then one in 100) and a mismatch is logged.
   * @default false
   */
  strictEvents?: boolean;
}

/** {@link EventsTuning} checked and completed with the defaults. */
export interface EventsOptions {
  realtime: RealtimeLimits;
  webhookTimeoutMs: number;
  webhookBackoffMs: readonly number[];
  strictEvents: boolean;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

export function readEventsOptions(tuning: EventsTuning): EventsOptions {
  const rt = tuning.realtime ?? {};
  const realtime = { ...DEFAULT_REALTIME_LIMITS };
  for (const key of Object.keys(DEFAULT_REALTIME_LIMITS) as (keyof RealtimeLimits)[]) {
    realtime[key] = positive(`realtime.${key}`, rt[key], DEFAULT_REALTIME_LIMITS[key]);
  }
  const wh = tuning.webhooks ?? {};
  const backoff = wh.backoffMs;
  if (
    backoff !== undefined &&
    (!Array.isArray(backoff) || backoff.some((n) => typeof n !== 'number' || n < 0))
  ) {
    throw new TypeError('webhooks.backoffMs must be an array of non-negative numbers');
  }
  return {
    realtime,
    webhookTimeoutMs: positive('webhooks.timeoutMs', wh.timeoutMs, 10_000),
    webhookBackoffMs: backoff ?? DEFAULT_BACKOFF_MS,
    strictEvents: tuning.strictEvents ?? false,
  };
}
