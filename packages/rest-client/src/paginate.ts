import type { ApiPromise } from './api-promise.js';
import type { RequestOptions } from './options.js';

/** One page of a list or search. */
export interface Page<T> {
  data: T[];
  take: number;
  skip: number;
  /** Every matching item on the server, across pages. */
  total: number;
  /** True when items remain after this page. */
  hasMore: boolean;
}

/** Which page to fetch. */
export interface PageParams {
  /** Items per page, 1..100 (default: the list's `pageSize`, else 100). */
  take?: number;
  /** Items to skip from the start (default 0). */
  skip?: number;
}

export interface ListOptions extends RequestOptions {
  /**
   * Items fetched per request while iterating (1..100, default 100).
   * @defaultValue 100
   */
  pageSize?: number;
}

export type FetchPage<T> = (
  params: { take: number; skip: number },
  options: RequestOptions,
) => ApiPromise<Page<T>>;

/**
 * A list or search: `for await (const item of list)` walks every item, fetching pages of
 * `pageSize` as it goes; `list.page({ take, skip })` fetches one page; `list.pages()` walks pages;
 * `list.toArray()` collects. Nothing is fetched until one of them is used, and each use starts over.
 */
export class PageIterator<T> implements AsyncIterable<T> {
  readonly #fetchPage: FetchPage<T>;
  readonly #options: ListOptions;

  /** @internal Made by the client's list and search methods; not constructed by apps. */
  constructor(fetchPage: FetchPage<T>, options: ListOptions = {}) {
    const size = options.pageSize;
    if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > 100)) {
      throw new TypeError('pageSize must be an integer from 1 to 100');
    }
    this.#fetchPage = fetchPage;
    this.#options = options;
  }

  /** One page; `take` defaults to the list's `pageSize` (100). */
  page(params: PageParams = {}): ApiPromise<Page<T>> {
    const take = params.take ?? this.#options.pageSize ?? 100;
    const skip = params.skip ?? 0;
    if (!Number.isInteger(take) || take < 1 || take > 100)
      throw new TypeError('take must be an integer from 1 to 100');
    if (!Number.isInteger(skip) || skip < 0) throw new TypeError('skip must be an integer >= 0');
    return this.#fetchPage({ take, skip }, this.#options);
  }

  /** Every page in turn, starting at `skip`. */
  async *pages(params: PageParams = {}): AsyncGenerator<Page<T>, void, undefined> {
    let skip = params.skip ?? 0;
    const take = params.take ?? this.#options.pageSize ?? 100;
    for (;;) {
      const page = await this.page({ take, skip });
      yield page;
      // Stop on an empty page too: a server whose total went stale must not loop us forever.
      if (!page.hasMore || page.data.length === 0) return;
      skip += page.data.length;
    }
  }

  /** Every item of every page, in order, fetching pages as it goes. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every item, up to `limit` (default 10 000, so a typo cannot download a whole account). */
  async toArray(options: { limit?: number } = {}): Promise<T[]> {
    const limit = options.limit ?? 10_000;
    const items: T[] = [];
    if (limit <= 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= limit) break;
    }
    return items;
  }
}

/** Builds a Page from the contract's list payload, a bare array, or the inventory's `{total, data}`. */
export function toPage<T>(payload: unknown, take: number, skip: number): Page<T> {
  if (Array.isArray(payload)) {
    // Unpaginated lists (`GET /rest/accounts`): the whole list is one page.
    const data = payload as T[];
    return { data, take: data.length, skip: 0, total: data.length, hasMore: false };
  }
  const body = (payload ?? {}) as Partial<{ take: number; skip: number; total: number; data: T[] }>;
  const data = body.data ?? [];
  const pageSkip = body.skip ?? skip;
  const total = body.total ?? pageSkip + data.length;
  return { data, take: body.take ?? take, skip: pageSkip, total, hasMore: pageSkip + data.length < total };
}
