import { describe, expect, it } from 'vitest';
import { CliError, NoAccountSelectedError, UsageError } from '../errors.js';
import { colors, shouldColor } from './color.js';
import { formatDuration, formatMoney, formatTime } from './format.js';
import { Output } from './output.js';
import { redact, redactHeaders } from './redact.js';
import { printError, toErrorReport } from './render-error.js';
import { renderTable, sanitizeCell } from './table.js';

function sink(isTTY = false) {
  let text = '';
  return {
    isTTY,
    write(s: string) {
      text += s;
      return true;
    },
    get text() {
      return text;
    },
  };
}

describe('colour', () => {
  it('is on for a terminal and off with NO_COLOR, TERM=dumb or a pipe', () => {
    expect(shouldColor(sink(true), {})).toBe(true);
    expect(shouldColor(sink(true), { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(sink(true), { TERM: 'dumb' })).toBe(false);
    expect(shouldColor(sink(false), {})).toBe(false);
    expect(shouldColor(sink(false), { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor(sink(true), { NO_COLOR: '' })).toBe(true);
  });

  it('prints no escape codes when NO_COLOR is set, even on a terminal', () => {
    const out = sink(true);
    new Output(out, sink(true), false, { NO_COLOR: '1' }).list(
      [{ a: 'x' }],
      [{ header: 'A', value: (r) => r.a }],
    );
    expect(out.text).not.toContain('\u001b[');
  });
});

describe('renderTable', () => {
  it('aligns columns, right-aligns numbers and trims trailing spaces', () => {
    const text = renderTable(
      [
        { n: 'Acme Dental', b: '$100.00' },
        { n: 'B', b: '$5.00' },
      ],
      [
        { header: 'NAME', value: (r) => r.n },
        { header: 'BALANCE', value: (r) => r.b, align: 'right' },
      ],
      colors(false),
    );
    expect(text).toBe('NAME         BALANCE\nAcme Dental  $100.00\nB              $5.00\n');
  });

  it('keeps columns aligned when a cell is coloured (escape codes take no width)', () => {
    const rows = [
      { mark: '*', name: 'Acme Dental' },
      { mark: ' ', name: 'Bayside Realty' },
    ];
    const text = renderTable(
      rows,
      [
        {
          header: ' ',
          value: (r) => r.mark,
          style: (r) => (r.mark === '*' ? colors(true).green : undefined),
        },
        { header: 'NAME', value: (r) => r.name },
      ],
      colors(false),
    );
    const plain = text.split('\u001b[32m').join('').split('\u001b[39m').join('');
    expect(plain).toBe('   NAME\n*  Acme Dental\n   Bayside Realty\n');
    expect(text).toContain('\u001b[32m*\u001b[39m  Acme Dental');
  });

  it('escapes control characters coming from the server', () => {
    expect(sanitizeCell('hi\u001b[2Jthere\nnext')).toBe('hi�[2Jthere⏎next');
  });
});

describe('Output', () => {
  it('prints JSON to stdout and keeps status lines off it with --json', () => {
    const out = sink();
    const err = sink();
    const o = new Output(out, err, true, {});
    o.info('Acting on Acme');
    o.list([{ a: 1 }], [{ header: 'A', value: (r) => String(r.a) }]);
    expect(JSON.parse(out.text)).toEqual([{ a: 1 }]);
    expect(err.text).toBe('');
  });

  it('says so on stderr when a list is empty', () => {
    const out = sink();
    const err = sink();
    new Output(out, err, false, {}).list([], [], { empty: 'No SMS yet.' });
    expect(out.text).toBe('');
    expect(err.text).toBe('No SMS yet.\n');
  });
});

describe('format', () => {
  it('formats money with the contract precision', () => {
    expect(formatMoney(100)).toBe('$100.00');
    expect(formatMoney(99.87895)).toBe('$99.87895');
    expect(formatMoney(0.0075)).toBe('$0.0075');
    expect(formatMoney(undefined)).toBe('');
  });
  it('formats times and durations compactly', () => {
    expect(formatTime('2026-01-16T14:15:48.540Z')).toBe('2026-01-16 14:15:48');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(5)).toBe('5s');
  });
});

describe('redact', () => {
  it('removes known secrets, auth schemes and token fields', () => {
    const text = redact(
      'Authorization: Bearer abc.def-123 {"token":"t0k","password":"pw"} secret-value-1 whsec_abcDEF',
      ['secret-value-1'],
    );
    expect(text).not.toMatch(/abc\.def|t0k|"pw"|secret-value-1|abcDEF/);
    expect(text).toContain('Bearer [REDACTED]');
  });

  it('redacts credential headers for --debug', () => {
    const headers = new Headers({
      authorization: 'Bearer xyz',
      'x-auth-token': 'xyz',
      accept: 'application/json',
    });
    expect(Object.fromEntries(redactHeaders(headers))).toEqual({
      accept: 'application/json',
      authorization: 'Bearer [REDACTED]',
      'x-auth-token': '[REDACTED]',
    });
  });
});

describe('error reports', () => {
  it('maps usage errors to exit 2 and others to exit 1', () => {
    expect(toErrorReport(new UsageError('bad')).exitCode).toBe(2);
    expect(toErrorReport(new CliError('boom')).exitCode).toBe(1);
    expect(toErrorReport(new Error('x')).exitCode).toBe(1);
  });

  it('shows the request id, status, code and a hint for API errors', () => {
    const apiError = Object.assign(new Error('Invalid email or password'), {
      code: 'invalid_credentials',
      status: 401,
      requestId: 'req-123',
    });
    const err = sink();
    printError(new Output(sink(), err, false, {}), toErrorReport(apiError));
    expect(err.text).toContain('Error: Invalid email or password');
    expect(err.text).toContain('request id req-123');
    expect(err.text).toContain('status 401');
    expect(err.text).toMatch(/Hint: .*callwire login/);
  });

  it('lists the accounts when one must be picked, as text and as JSON', () => {
    const error = new NoAccountSelectedError([
      { uuid: 'a1', name: 'Acme Dental', access: 'manager' },
      { uuid: 'b2', name: 'Bayside Realty', access: 'admin' },
    ]);
    const err = sink();
    printError(new Output(sink(), err, false, {}), toErrorReport(error));
    expect(err.text).toContain('Acme Dental');
    expect(err.text).toContain('Bayside Realty');
    expect(err.text).toContain('callwire use');
    const jsonErr = sink();
    printError(new Output(sink(), jsonErr, true, {}), toErrorReport(error));
    const parsed = JSON.parse(jsonErr.text) as { error: { code: string; accounts: unknown[] } };
    expect(parsed.error.code).toBe('account_required');
    expect(parsed.error.accounts).toHaveLength(2);
  });

  it('points at the server when it cannot be reached', () => {
    const error = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const report = toErrorReport(error, { baseUrl: 'http://127.0.0.1:1' });
    expect(report.code).toBe('network_error');
    expect(report.hint).toContain('http://127.0.0.1:1');
  });

  it('redacts secrets from messages', () => {
    const report = toErrorReport(new Error('failed with token sekrit-token-1'), {
      secrets: ['sekrit-token-1'],
    });
    expect(report.message).not.toContain('sekrit-token-1');
  });
});
