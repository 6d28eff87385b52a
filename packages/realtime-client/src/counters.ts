/** The counters behind `metrics()`, shared by the parts that move them. */
export interface Counters {
  connects: number;
  reconnects: number;
  received: number;
  delivered: number;
  replayed: number;
  duplicatesDropped: number;
  gaps: number;
  backfilled: number;
  unknown: number;
  dropped: number;
  sheds: number;
  maxQueued: number;
  roundTripTime: number | undefined;
}

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
