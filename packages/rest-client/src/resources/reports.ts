import { type CallDataQuery, type CallDataRecord, CallDataRecordSchema } from '@callwire/types';
import type { ApiPromise } from '../api-promise.js';
import type { RequestOptions } from '../options.js';
import type { Requester } from '../requester.js';

const CallDataRecords = CallDataRecordSchema.array();

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
          // The contract shows a bare array; a list envelope is unwrapped to its data.
          schema: {
            safeParse: (value: unknown) =>
              CallDataRecords.safeParse(
                typeof value === 'object' && value !== null && !Array.isArray(value) && 'data' in value
                  ? (value as { data: unknown }).data
                  : value,
              ),
          },
          endpoint: 'reports.callData',
        },
        options,
      ),
  };
}
