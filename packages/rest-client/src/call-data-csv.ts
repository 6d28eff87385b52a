import type { CallDataRecord } from '@callwire/types';

/** The columns of the call-data CSV, in order: every field of a call-data record. */
export const CALL_DATA_CSV_COLUMNS = [
  'uuid',
  'direction',
  'from',
  'to',
  'started_on',
  'answered_on',
  'ended_on',
  'duration',
  'billable_seconds',
  'cost',
  'q850_cause',
  'state',
] as const satisfies readonly (keyof CallDataRecord)[];

// A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;
// Numbers and E.164 phone numbers (+12015550100) start with + or - but are data: they stay as they are.
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Call-data records as RFC 4180 CSV: a header row, then one CRLF-terminated line per call, empty
 * cells for absent values. A cell a spreadsheet would run as a formula gets a leading `'`, so a
 * downloaded report is safe to open; numbers and phone numbers are written as they are.
 *
 * @example
 * const records = await client.reports.callData({ start_date: '2026-03-01', end_date: '2026-03-31' });
 * await writeFile('march.csv', callDataToCsv(records));
 */
export function callDataToCsv(records: readonly CallDataRecord[]): string {
  const lines = [CALL_DATA_CSV_COLUMNS.join(',')];
  for (const record of records) lines.push(CALL_DATA_CSV_COLUMNS.map((c) => csvCell(record[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
