import type {
  CreateEventSubscriptionRequest,
  EventPage,
  EventSubscription,
  UnknownEvent,
  WebhookDelivery,
} from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { ListOptions, PageIterator } from '../paginate.js';
import { type Requester, segment } from '../requester.js';
import { ref } from '../responses.js';
import { offsetList } from './list.js';

export interface BackfillOptions extends RequestOptions {
  /**
   * Start after this seq (default 0: everything retained).
   * @defaultValue 0
   */
  afterSeq?: number;
  /**
   * Patterns such as `call.*`, `sms.delivered`.
   * @defaultValue every type
   */
  types?: readonly string[];
  /**
   * Events per request, 1..1000 (default 100).
   * @defaultValue 100
   */
  pageSize?: number;
}

/**
 * Retained events in `seq` order: `for await (const event of backfill)` reads every page until
 * the newest; `page()` reads one. Check `recovered` on a page (or `gap` after iterating): false
 * means events older than retention were lost between `afterSeq` and the oldest one kept.
 */
export class EventBackfill implements AsyncIterable<UnknownEvent> {
  /** Set after iteration starts: false when the server no longer had every event after `afterSeq`. */
  recovered: boolean | undefined;
  /** The last seq read so far: resume from it with `afterSeq`. */
  lastSeq: number;
  readonly #fetch: (afterSeq: number, take: number) => ApiPromise<EventPage>;
  readonly #take: number;

  constructor(
    fetch: (afterSeq: number, take: number) => ApiPromise<EventPage>,
    afterSeq: number,
    take: number,
  ) {
    this.#fetch = fetch;
    this.#take = take;
    this.lastSeq = afterSeq;
  }

  /** One page of events after `afterSeq` (default: where the backfill stands). */
  page(params: { afterSeq?: number; take?: number } = {}): ApiPromise<EventPage> {
    return this.#fetch(params.afterSeq ?? this.lastSeq, params.take ?? this.#take);
  }

  /** Every retained event after the start, in seq order, fetching pages as it goes. */
  async *[Symbol.asyncIterator](): AsyncGenerator<UnknownEvent, void, undefined> {
    let after = this.lastSeq;
    for (;;) {
      const page = await this.#fetch(after, this.#take);
      this.recovered ??= page.recovered;
      for (const event of page.data) {
        after = event.seq;
        this.lastSeq = after;
        yield event;
      }
      if (!page.has_more || page.data.length === 0) return;
    }
  }
}

/** Event subscriptions: which events go to a webhook or a websocket (`client.events.subscriptions`). */
export interface SubscriptionsApi {
  /** The account's subscriptions. */
  list(options?: ListOptions): PageIterator<EventSubscription>;
  /** A webhook subscription returns its `signing_secret` here only. */
  create(body: CreateEventSubscriptionRequest, options?: RequestOptions): ApiPromise<EventSubscription>;
  /** Ends a subscription; nothing more is delivered to it. */
  delete(uuid: string, options?: RequestOptions): ApiPromise<void>;
}

/** The account's events: read back, subscribed to, and their webhook deliveries (`client.events`). */
export interface EventsApi {
  /** Read retained events back (`GET /rest/event`), e.g. after a realtime `gap`. */
  backfill(options?: BackfillOptions): EventBackfill;
  subscriptions: SubscriptionsApi;
  /** Webhook delivery attempts of one subscription. */
  deliveries(subscriptionId: string, options?: ListOptions): PageIterator<WebhookDelivery>;
}

export function eventsApi(r: Requester): EventsApi {
  return {
    backfill(options = {}) {
      const { afterSeq = 0, types, pageSize = 100, ...requestOptions } = options;
      if (!Number.isInteger(afterSeq) || afterSeq < 0)
        throw new TypeError('afterSeq must be an integer >= 0');
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
        throw new TypeError('pageSize must be 1..1000');
      const typeList = types === undefined || types.length === 0 ? undefined : types.join(',');
      return new EventBackfill(
        (after, take) =>
          r.request(
            {
              method: 'get',
              path: 'event',
              query: { after_seq: after, take, types: typeList },
              schema: ref('EventPage'),
              endpoint: 'events.backfill',
            },
            requestOptions,
          ),
        afterSeq,
        pageSize,
      );
    },
    subscriptions: {
      list: (options) =>
        offsetList(
          r,
          (query) => ({
            method: 'get',
            path: 'event/subscription',
            query,
            schema: ref('EventSubscriptionPage'),
            endpoint: 'events.subscriptions.list',
          }),
          options,
        ),
      create: (body, options) =>
        r.request(
          {
            method: 'post',
            path: 'event/subscription',
            body,
            schema: ref('EventSubscription'),
            endpoint: 'events.subscriptions.create',
          },
          options,
        ),
      delete: (uuid, options) =>
        r.request<void>(
          {
            method: 'delete',
            path: `event/subscription/${segment(uuid, 'uuid')}`,
            endpoint: 'events.subscriptions.delete',
          },
          options,
        ),
    },
    deliveries: (subscriptionId, options) =>
      offsetList(
        r,
        (query) => ({
          method: 'get',
          path: `event/subscription/${segment(subscriptionId, 'subscriptionId')}/deliveries`,
          query,
          schema: ref('WebhookDeliveryPage'),
          endpoint: 'events.deliveries',
        }),
        options,
      ),
  };
}
