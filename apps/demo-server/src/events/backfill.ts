import type { EventPage } from '@callwire/types';
import type { EventService } from './event-service.js';

export interface BackfillQuery {
  after_seq: number;
  types?: string[] | undefined;
  take: number;
}

/**
 * `GET /rest/event`: retained events after `after_seq`, in seq order. `recovered` is false when
 * events right after `after_seq` are no longer retained (or the server never issued `after_seq`),
 * so the reader knows it has a hole it cannot fill.
 */
export async function readEventPage<DB>(
  events: EventService<DB>,
  accountId: string,
  query: BackfillQuery,
): Promise<EventPage> {
  const [lastSeq, oldestSeq, rows] = await Promise.all([
    events.lastSeq(accountId),
    events.oldestSeq(accountId),
    events.readAfter(accountId, query.after_seq, query.take + 1, query.types),
  ]);
  const hasMore = rows.length > query.take;
  const page = hasMore ? rows.slice(0, query.take) : rows;
  const afterSeq = query.after_seq;
  const recovered =
    afterSeq <= lastSeq && (afterSeq === lastSeq || (oldestSeq !== null && afterSeq + 1 >= oldestSeq));
  return {
    after_seq: afterSeq,
    take: query.take,
    last_seq: lastSeq,
    oldest_seq: oldestSeq,
    recovered,
    has_more: hasMore,
    data: page.map((e) => JSON.parse(e.json) as EventPage['data'][number]),
  };
}
