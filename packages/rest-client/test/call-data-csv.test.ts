import type { CallDataRecord } from '@callwire/types';
import { describe, expect, it } from 'vitest';
import { callDataToCsv } from '../src/index.js';

const record = (over: Partial<CallDataRecord> = {}): CallDataRecord => ({
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
  ...over,
});

const rowOf = (csv: string) => csv.split('\r\n')[1] ?? '';

describe('call-data CSV', () => {
  it('writes a header and one CRLF line per call, with E.164 numbers and amounts as they are', () => {
    expect(callDataToCsv([record(), record({ q850_cause: null })])).toBe(
      'uuid,direction,from,to,started_on,answered_on,ended_on,duration,billable_seconds,cost,q850_cause,state\r\n' +
        '7a1c9f9e-3c7e-4a57-9d7f-0b7f3b0c1d2e,out,+12015550100,+12015550123,2026-01-16T14:15:48.540Z,,2026-01-16T14:16:00.000Z,12,0,0.013,17,destroyed\r\n' +
        '7a1c9f9e-3c7e-4a57-9d7f-0b7f3b0c1d2e,out,+12015550100,+12015550123,2026-01-16T14:15:48.540Z,,2026-01-16T14:16:00.000Z,12,0,0.013,,destroyed\r\n',
    );
  });

  it('is only the header when there were no calls', () => {
    expect(callDataToCsv([])).toBe(
      'uuid,direction,from,to,started_on,answered_on,ended_on,duration,billable_seconds,cost,q850_cause,state\r\n',
    );
  });

  it('quotes separators, quotes and line breaks', () => {
    expect(rowOf(callDataToCsv([record({ state: 'a,"b"\nc' as never })]))).toMatch(/,"a,""b""\nc"$/);
  });

  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['=1+2', `'=1+2`],
    ['+1+cmd|calc', `'+1+cmd|calc`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tx', `'\tx`],
  ])('defuses %j, which a spreadsheet would run as a formula', (value, cell) => {
    expect(rowOf(callDataToCsv([record({ state: value as never })])).endsWith(`,${cell}`)).toBe(true);
  });

  it('keeps signed numbers as numbers', () => {
    expect(rowOf(callDataToCsv([record({ cost: -0.5, from: '+12015550100' })]))).toContain(',+12015550100,');
    expect(rowOf(callDataToCsv([record({ cost: -0.5 })]))).toContain(',-0.5,');
  });
});
