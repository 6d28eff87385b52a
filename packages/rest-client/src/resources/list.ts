import { type ListOptions, type Page, PageIterator, toPage } from '../paginate.js';
import type { Call, Query, Requester } from '../requester.js';

/**
 * A take/skip list: `build` gives the call for one page; the payload, validated with
 * the call's schema, becomes a Page. Searches are POSTs with the filters as body and take/skip in the
 * query; each page request carries its own idempotency key, which is harmless for a read.
 */
export function offsetList<T>(
  requester: Requester,
  build: (query: Query) => Call<unknown>,
  options?: ListOptions,
): PageIterator<T> {
  return new PageIterator<T>(
    ({ take, skip }, requestOptions) =>
      requester.request(
        build({ take, skip }),
        requestOptions,
        (payload): Page<T> => toPage<T>(payload, take, skip),
      ),
    options,
  );
}
