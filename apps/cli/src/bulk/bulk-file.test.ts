import { describe, expect, it } from 'vitest';
import { colors } from '../output/color.js';
import { keyOf, readBulkFile, rowKey } from './bulk-file.js';
import { callsBulk, smsBulk } from './bulk-kinds.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import { formatEta, Progress } from './progress.js';

describe('CSV', () => {
  it('reads quoted commas, doubled quotes, line breaks, CRLF and a byte order mark, with start lines', () => {
    const table = parseCsv('\uFEFFTo,Message\r\n+1201,"Hi, ""Ann"""\r\n+1202,"two\nlines"\n\n+1203,end');
    expect(table.header).toEqual(['to', 'message']);
    expect(table.records).toEqual([
      { line: 2, fields: ['+1201', 'Hi, "Ann"'] },
      { line: 3, fields: ['+1202', 'two\nlines'] },
      { line: 6, fields: ['+1203', 'end'] },
    ]);
  });

  it('names the line of a quote that never closes or sits inside a field', () => {
    expect(() => parseCsv('to,message\n+1201,"open\nstill open')).toThrow(
      new CsvSyntaxError(2, 'a quoted field is never closed'),
    );
    expect(() => parseCsv('to,message\n+1201,say "hi"')).toThrow(/line 2: a quote inside an unquoted field/);
  });
});

describe('bulk files', () => {
  it('keeps going past bad rows and says what is wrong with each', () => {
    const file = readBulkFile(smsBulk, 'to,message\n+12015550123,Hi\n,Hi\n+12015550124\n+12015550125,\n', {
      from: '+12015550100',
    });
    if ('problem' in file) throw new Error(file.problem);
    expect(file.rows.map((r) => [r.line, r.problem])).toEqual([
      [2, undefined],
      [3, 'to is empty'],
      [4, 'has 1 field, the header has 2'],
      [5, 'message is empty'],
    ]);
    expect(file.rows[0]?.request).toEqual({ from: '+12015550100', to: '+12015550123', message: 'Hi' });
  });

  it('refuses a header without the required columns or with unknown ones', () => {
    expect(readBulkFile(smsBulk, 'to,text\n+12015550123,Hi\n', {})).toEqual({
      problem: 'line 1: the header row has no message column',
    });
    expect(readBulkFile(callsBulk, 'to,talk\n+12015550123,1\n', {})).toMatchObject({
      problem: expect.stringContaining('unknown column "talk"'),
    });
  });

  it('derives the same key for the same row wherever it sits, and different keys for repeats', () => {
    const a = readBulkFile(smsBulk, 'to,message\n+12015550123,Hi\n+12015550124,Yo\n+12015550123,Hi\n', {
      from: '+12015550100',
    });
    const b = readBulkFile(smsBulk, 'to,message\n+12015550199,New row\n+12015550123,Hi\n', {
      from: '+12015550100',
    });
    if ('problem' in a || 'problem' in b) throw new Error('unexpected');
    const keys = (f: typeof a) => f.rows.map((r) => keyOf(r, 'sms', 'acct-1'));
    const [first, , repeat] = keys(a);
    expect(keys(b)[1]).toBe(first);
    expect(repeat).not.toBe(first);
    expect(keyOf(a.rows[0]!, 'sms', 'acct-2')).not.toBe(first);
    expect(first).toBe(rowKey('sms', 'acct-1', a.rows[0]?.request, 0));
  });

  it('keeps a repeated row apart through a failures file, and a changed row gets a new key', () => {
    const original = readBulkFile(smsBulk, 'to,message\n+12015550123,Hi\n+12015550123,Hi\n', {
      from: '+12015550100',
    });
    // The second "Hi" failed: its failures-file row says it was the second one.
    const failures = readBulkFile(smsBulk, 'to,message,occurrence,error\n+12015550123,Hi,1,timeout\n', {
      from: '+12015550100',
    });
    const fixed = readBulkFile(smsBulk, 'to,message,occurrence,error\n+12015550123,Hi!,1,timeout\n', {
      from: '+12015550100',
    });
    if ('problem' in original || 'problem' in failures || 'problem' in fixed) throw new Error('unexpected');
    expect(keyOf(failures.rows[0]!, 'sms', 'acct')).toBe(keyOf(original.rows[1]!, 'sms', 'acct'));
    expect(keyOf(fixed.rows[0]!, 'sms', 'acct')).not.toBe(keyOf(original.rows[1]!, 'sms', 'acct'));
    expect(failures.columns).toEqual(['to', 'message']);
  });
});

describe('bulk progress', () => {
  it('prints a plain line every 5% with rate and ETA when not on a terminal', () => {
    let text = '';
    let now = 0;
    const progress = new Progress({
      mode: 'lines',
      stream: { write: (s: string) => (text += s) },
      colors: colors(false),
      total: 40,
      now: () => now,
    });
    for (let i = 0; i < 4; i++) {
      now += 500;
      progress.tick(i === 3);
    }
    // Two rows a second: 38 to go is 19 s, 36 to go 18 s.
    expect(text).toBe('2/40 (5%)  2.0/s  ETA 19s\n4/40 (10%, 1 failed)  2.0/s  ETA 18s\n');
  });

  it('prints nothing when silent (--json)', () => {
    let text = '';
    const progress = new Progress({
      mode: 'silent',
      stream: { write: (s: string) => (text += s) },
      colors: colors(false),
      total: 1,
    });
    progress.note('line 2: bad');
    progress.tick(true);
    progress.finish();
    expect(text).toBe('');
  });

  it('formats the time left', () => {
    expect([formatEta(0.2), formatEta(59), formatEta(95), formatEta(Number.POSITIVE_INFINITY)]).toEqual([
      '1s',
      '59s',
      '1m35s',
      '?',
    ]);
  });
});
