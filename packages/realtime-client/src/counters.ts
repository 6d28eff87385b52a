import type { RealtimeMetrics } from './api.js';

/**
 * The counters behind `metrics()`, shared by the parts that move them: every field of the metrics
 * except those read at call time (the state and the queue length).
 */
export type Counters = Omit<RealtimeMetrics, 'state' | 'queued'>;

export function createCounters(): Counters {
  return {
    connects: 0,
    reconnects: 0,
    received: 0,
    delivered: 0,
    replayed: 0,
    duplicatesDropped: 0,
    gaps: 0,
    backfilled: 0,
    unknown: 0,
    dropped: 0,
    sheds: 0,
    maxQueued: 0,
    roundTripTime: undefined,
  };
}
