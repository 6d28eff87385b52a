import type { TelephonyDeps } from './deps.js';
import { invalidField } from './errors.js';
import { CallStore } from './stores/call-store.js';
import { inclusiveDays, iso, zonedMidnightUtc } from './time.js';

/** The call-data report covers at most this many days (both ends included). */
export const MAX_REPORT_DAYS = 93;

/** The UTC bounds [from, to) of an inclusive local-date window, checked against the 93-day limit. */
export async function reportWindow(
  deps: TelephonyDeps,
  accountId: string,
  startDate: string,
  endDate: string,
): Promise<{ from: string; to: string }> {
  const days = inclusiveDays(startDate, endDate);
  if (days < 1) throw invalidField('query.end_date', 'must not be before start_date');
  if (days > MAX_REPORT_DAYS) {
    throw invalidField(
      'query.end_date',
      `the window is ${days} days; a report covers at most ${MAX_REPORT_DAYS}`,
    );
  }
  const timeZone = await deps.ledger.timeZone(deps.db, accountId);
  const next = new Date(`${endDate}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return {
    from: iso(zonedMidnightUtc(startDate, timeZone)),
    to: iso(zonedMidnightUtc(next.toISOString().slice(0, 10), timeZone)),
  };
}

/**
 * `GET /rest/reports/call-data`: one record per finished call that started within
 * `start_date`..`end_date`, both included, as days of the account's time zone, oldest first: the
 * JSON array itself, as the database builds it.
 */
export async function callDataReportJson(
  deps: TelephonyDeps,
  accountId: string,
  startDate: string,
  endDate: string,
): Promise<string> {
  const { from, to } = await reportWindow(deps, accountId, startDate, endDate);
  return new CallStore(deps.db).finishedJson(accountId, from, to, deps.dialect);
}
