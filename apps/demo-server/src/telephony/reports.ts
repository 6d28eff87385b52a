import type { CallDataRecord } from '@callwire/types';
import type { TelephonyDeps } from './deps.js';
import { invalidField } from './errors.js';
import { toDollars } from './money.js';
import { inclusiveDays, iso, zonedMidnightUtc } from './time.js';

/** The call-data report covers at most this many days (both ends included). */
export const MAX_REPORT_DAYS = 93;

/**
 * `GET /rest/reports/call-data` (seed 000): one record per finished call that started within
 * `start_date`..`end_date`, both included, as days of the account's time zone. The query walks the
 * (account_id, init_on) index over one range and reads only the report's columns.
 */
export async function callDataReport(
  deps: TelephonyDeps,
  accountId: string,
  startDate: string,
  endDate: string,
): Promise<CallDataRecord[]> {
  const days = inclusiveDays(startDate, endDate);
  if (days < 1) throw invalidField('query.end_date', 'must not be before start_date');
  if (days > MAX_REPORT_DAYS) {
    throw invalidField(
      'query.end_date',
      `the window is ${days} days; a report covers at most ${MAX_REPORT_DAYS}`,
    );
  }
  const timeZone = await deps.ledger.timeZone(deps.db, accountId);
  const from = iso(zonedMidnightUtc(startDate, timeZone));
  const next = new Date(`${endDate}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const to = iso(zonedMidnightUtc(next.toISOString().slice(0, 10), timeZone));
  const rows = await deps.db
    .selectFrom('call')
    .select([
      'uuid',
      'direction',
      'from_tn',
      'to_tn',
      'init_on',
      'answer_on',
      'hangup_on',
      'duration',
      'billable_seconds',
      'cost_micros',
      'q850_cause',
      'state',
    ])
    .where('account_id', '=', accountId)
    .where('init_on', '>=', from)
    .where('init_on', '<', to)
    .where('state', 'in', ['hangup', 'destroyed'])
    .orderBy('init_on')
    .execute();
  const out: CallDataRecord[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out[i] = {
      uuid: r.uuid,
      direction: r.direction,
      from: r.from_tn,
      to: r.to_tn,
      started_on: r.init_on,
      answered_on: r.answer_on,
      ended_on: r.hangup_on,
      duration: Number(r.duration),
      billable_seconds: Number(r.billable_seconds),
      cost: toDollars(Number(r.cost_micros)),
      q850_cause: r.q850_cause === null ? null : Number(r.q850_cause),
      state: r.state as CallDataRecord['state'],
    };
  }
  return out;
}
