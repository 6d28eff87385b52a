import { describe, expect, it } from 'vitest';
import { inclusiveDays, zonedMidnightUtc } from './time.js';

describe('report windows in an account time zone', () => {
  it('finds local midnight in UTC, also across daylight saving time', () => {
    expect(new Date(zonedMidnightUtc('2026-01-15', 'UTC')).toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(new Date(zonedMidnightUtc('2026-01-15', 'America/New_York')).toISOString()).toBe(
      '2026-01-15T05:00:00.000Z',
    );
    expect(new Date(zonedMidnightUtc('2026-07-15', 'America/New_York')).toISOString()).toBe(
      '2026-07-15T04:00:00.000Z',
    );
    expect(new Date(zonedMidnightUtc('2026-03-08', 'America/New_York')).toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(new Date(zonedMidnightUtc('2026-03-09', 'America/New_York')).toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
    expect(new Date(zonedMidnightUtc('2026-01-15', 'Asia/Kolkata')).toISOString()).toBe(
      '2026-01-14T18:30:00.000Z',
    );
  });

  it('counts days inclusively', () => {
    expect(inclusiveDays('2026-01-01', '2026-01-01')).toBe(1);
    expect(inclusiveDays('2026-01-01', '2026-01-31')).toBe(31);
    expect(inclusiveDays('2026-01-01', '2026-04-03')).toBe(93);
  });
});
