import type { CallDataRecord } from '@callwire/types';
import { describe, expect, it } from 'vitest';
import { toCsv } from './reports.js';

const record: CallDataRecord = {
  uuid: '7a1c9f9e-3c7e-4a57-9d7f-0b7f3b0c1d2e',
  direction: 'out',
  from: '+12015550100',
  to: '+12015550123',
  started_on: '2026-01-16T14:15:48.540Z',
  answered_on: null,
  ended_on: '2026-01-16T14:16:00.000Z',
  duration: 12,
  billable_seconds: 0,
  cost: 0.013,
  q850_cause: 17,
  state: 'destroyed',
};

describe('call-data CSV', () => {
  it('writes a header and RFC 4180 rows, keeping E.164 numbers as they are', () => {
    const csv = toCsv([record]);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(
      'uuid,direction,from,to,started_on,answered_on,ended_on,duration,billable_seconds,cost,q850_cause,state',
    );
    expect(row).toBe(
      '7a1c9f9e-3c7e-4a57-9d7f-0b7f3b0c1d2e,out,+12015550100,+12015550123,2026-01-16T14:15:48.540Z,,2026-01-16T14:16:00.000Z,12,0,0.013,17,destroyed',
    );
  });

  it('quotes commas and neutralises formulas', () => {
    const csv = toCsv([{ ...record, state: '=HYPERLINK("x"),1' as never }]);
    expect(csv).toContain(`"'=HYPERLINK(""x""),1"`);
  });
});
