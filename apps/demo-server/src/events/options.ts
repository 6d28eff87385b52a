import { DEFAULT_REALTIME_LIMITS, type RealtimeLimits } from '../realtime/ports.js';
import { DEFAULT_BACKOFF_MS } from '../webhooks/delivery-step.js';

/**
 * Tuning of the events area, from startServer options (`ctx.extra`): tests shorten the timeouts
 * instead of sleeping through 10 s or 60 s; the bench raises the connection limit.
 *
 * ```ts
 * startServer({ realtime: { authTimeoutMs: 200, maxConnectionsPerUser: 2 }, webhooks: { timeoutMs: 500 } })
 * ```
 */
export interface EventsOptions {
  realtime: RealtimeLimits;
  webhookTimeoutMs: number;
  /** Delays before each retry, before the sim-speed scaling. */
  webhookBackoffMs: readonly number[];
  /** Throw when an emitted event does not match the contract (default: under vitest). */
  strictEvents: boolean;
}

function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export function readEventsOptions(extra: Readonly<Record<string, unknown>>): EventsOptions {
  const rt = record(extra.realtime);
  const realtime = { ...DEFAULT_REALTIME_LIMITS };
  for (const key of Object.keys(DEFAULT_REALTIME_LIMITS) as (keyof RealtimeLimits)[]) {
    realtime[key] = positive(`realtime.${key}`, rt[key], DEFAULT_REALTIME_LIMITS[key]);
  }
  const wh = record(extra.webhooks);
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
    webhookBackoffMs: (backoff as number[] | undefined) ?? DEFAULT_BACKOFF_MS,
    strictEvents:
      typeof extra.strictEvents === 'boolean' ? extra.strictEvents : process.env.VITEST !== undefined,
  };
}
