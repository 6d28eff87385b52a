import type { CallDataQuery, CallDataRecord } from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { Requester } from '../requester.js';
import { ref } from '../responses.js';

/** Reports (`client.reports`). */
export interface ReportsApi {
  /** One record per finished call between two dates (inclusive, account time zone; at most 93 days). */
  callData(query: Omit<CallDataQuery, 'account_id'>, options?: RequestOptions): ApiPromise<CallDataRecord[]>;
}

export function reportsApi(r: Requester): ReportsApi {
  return {
    callData: (query, options) =>
      r.request(
        {
          method: 'get',
          path: 'reports/call-data',
          query: { start_date: query.start_date, end_date: query.end_date },
          schema: ref('CallDataRecords'),
          endpoint: 'reports.callData',
        },
        options,
        // A bare array as documented; a list envelope from another server is unwrapped to its data
        // (the validating schema accepts both shapes, so this also holds with validation off).
        (records: CallDataRecord[] | { data: CallDataRecord[] }) =>
          Array.isArray(records) ? records : records.data,
      ),
  };
}
