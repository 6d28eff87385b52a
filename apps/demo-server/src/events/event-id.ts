import { uuidV7 } from '../db/uuid-v7.js';

/**
 * A new event id: a version 7 UUID made at `nowMs` (see {@link uuidV7}), so the id's time bits are
 * the event's `created_on` millisecond. The event table itself has no index on it since migration
 * 009; the time order is what clients may read from it.
 */
export function newEventId(nowMs: number = Date.now()): string {
  return uuidV7(nowMs);
}
