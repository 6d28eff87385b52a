import { describe, expect, it } from 'vitest';
import { DateTimeSchema } from '../src/index.js';

const accepts = (value: string) => DateTimeSchema.safeParse(value).success;

describe('date-times', () => {
  it('are accepted from the Unix epoch to the end of 9998, whatever the offset', () => {
    expect(accepts('2026-01-16T14:15:48.540Z')).toBe(true);
    expect(accepts('1970-01-01T00:00:00.000Z')).toBe(true);
    expect(accepts('1971-01-01T00:00:00+23:59')).toBe(true);
    expect(accepts('9997-12-31T23:00:00-23:00')).toBe(true);
    expect(accepts('9998-12-31T23:59:59.999Z')).toBe(true);
  });

  it('are refused before the epoch or after 9998 once the offset is applied', () => {
    expect(accepts('1969-12-31T23:59:59.999Z')).toBe(false);
    expect(accepts('1970-01-01T00:30:00+01:00')).toBe(false);
    expect(accepts('9998-12-31T23:59:59.999-00:01')).toBe(false);
    expect(accepts('9999-01-01T00:00:00.000Z')).toBe(false);
  });

  it('are refused with one message when they are not ISO-8601', () => {
    const result = DateTimeSchema.safeParse('2026-01-16 14:15');
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
  });
});
