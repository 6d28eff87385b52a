import type { CallDataRecord } from '@callwire/types';
import { describe, expect, it } from 'vitest';
import { daysBetween, totalsByDay } from './report-data.js';

const record = (over: Partial<CallDataRecord>): CallDataRecord => ({
  uuid: '0a11ce00-0000-4000-8000-000000000001',
  direction: 'out',
  from: '+12015550100',
  to: '+12015550123',
  started_on: '2026-03-02T10:00:00.000Z',
  answered_on: '2026-03-02T10:00:02.000Z',
  ended_on: '2026-03-02T10:01:02.000Z',
  duration: 60,
  billable_seconds: 60,
  cost: 0.013,
  q850_cause: 16,
  state: 'destroyed',
  ...over,
});

describe('call-data per day', () => {
  it('lists every day of the range, days without calls as zero', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    const days = totalsByDay([], '2026-03-01', '2026-03-02', 'UTC');
    expect(days).toEqual([
      { day: '2026-03-01', calls: 0, minutes: 0, cost: 0 },
      { day: '2026-03-02', calls: 0, minutes: 0, cost: 0 },
    ]);
  });

  it('counts calls, billable minutes and cost on the day they started in the account time zone', () => {
    const records = [
      record({ billable_seconds: 120, cost: 0.026 }),
      record({ billable_seconds: 60, cost: 0.013 }),
      // 03:00 UTC on the 2nd is still the 1st in New York.
      record({ started_on: '2026-03-02T03:00:00.000Z', billable_seconds: 30, cost: 0.013 }),
    ];
    const days = totalsByDay(records, '2026-03-01', '2026-03-02', 'America/New_York');
    expect(days).toEqual([
      { day: '2026-03-01', calls: 1, minutes: 0.5, cost: 0.013 },
      { day: '2026-03-02', calls: 2, minutes: 3, cost: 0.039 },
    ]);
  });

  it('sums money without floating-point drift', () => {
    const records = Array.from({ length: 10 }, () => record({ cost: 0.1 }));
    expect(totalsByDay(records, '2026-03-02', '2026-03-02', 'UTC')[0]?.cost).toBe(1);
  });
});
