import type { CallDataRecord } from '@callwire/types';

/** One day of the call-data report. */
export interface DayTotals {
  /** `YYYY-MM-DD` in the account's time zone. */
  day: string;
  calls: number;
  minutes: number;
  cost: number;
}

/** Every day from `start` to `end` (inclusive, `YYYY-MM-DD`), so days without calls show as zero. */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  const cursor = new Date(`${start}T00:00:00Z`);
  const last = new Date(`${end}T00:00:00Z`);
  while (cursor <= last && days.length < 400) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}

/** Calls, billable minutes and cost per day; a record belongs to the day it started in `timeZone`. */
export function totalsByDay(
  records: readonly CallDataRecord[],
  start: string,
  end: string,
  timeZone: string,
): DayTotals[] {
  // en-CA formats dates as YYYY-MM-DD.
  const dayOf = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const byDay = new Map(daysBetween(start, end).map((day) => [day, { day, calls: 0, minutes: 0, cost: 0 }]));
  for (const record of records) {
    const day = dayOf.format(new Date(record.started_on));
    const totals = byDay.get(day) ?? { day, calls: 0, minutes: 0, cost: 0 };
    totals.calls += 1;
    totals.minutes += record.billable_seconds / 60;
    // Money is summed in micro-dollars, as the server does, so cents never drift.
    totals.cost = Math.round(totals.cost * 1e6 + record.cost * 1e6) / 1e6;
    byDay.set(day, totals);
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}
