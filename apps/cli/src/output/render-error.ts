import { CliError, NoAccountSelectedError, UsageError } from '../errors.js';
import type { Output } from './output.js';
import { redact } from './redact.js';
import { renderTable } from './table.js';

/** What the CLI knows about a failure, whatever threw it. */
export interface ErrorReport {
  message: string;
  exitCode: 1 | 2;
  code?: string;
  status?: number;
  requestId?: string;
  hint?: string;
  fields?: Record<string, string>;
  accounts?: { uuid: string; name: string; access?: string; default?: boolean }[];
}

interface ApiErrorLike {
  message: string;
  code?: unknown;
  status?: unknown;
  requestId?: unknown;
  request_id?: unknown;
  fields?: unknown;
  accounts?: unknown;
  retryAfter?: unknown;
}

function isApiErrorLike(error: unknown): error is Error & ApiErrorLike {
  return error instanceof Error && ('code' in error || 'status' in error || 'requestId' in error);
}

/** The next step for each error code of the contract; the message says what, the hint says what to do. */
export function hintFor(
  code: string | undefined,
  context: { baseUrl?: string; retryAfter?: number } = {},
): string | undefined {
  switch (code) {
    case 'invalid_credentials':
      return 'Check the email and password, then run `callwire login` again.';
    case 'unauthenticated':
    case 'invalid_token':
    case 'token_expired':
    case 'refresh_token_reused':
    case 'session_expired':
      return 'Your session has ended; run `callwire login` again.';
    case 'api_access_disabled':
      return 'This user has API access turned off; ask an admin of the account to enable it.';
    case 'account_required':
      return 'Pick an account with `callwire use <account-id|name>` or pass --account.';
    case 'account_forbidden':
      return 'That account is not one you can act on; `callwire accounts` lists yours.';
    case 'forbidden':
      return 'Your access to this account does not allow this; `callwire accounts` shows your access.';
    case 'insufficient_balance':
      return 'The account balance cannot cover this; top it up and retry.';
    case 'rate_limited':
      return context.retryAfter !== undefined
        ? `Too many requests; retry in ${Math.ceil(context.retryAfter)} s.`
        : 'Too many requests; wait a little and retry.';
    case 'not_found':
      return 'Check the id; list commands show the ids you can use.';
    case 'validation_failed':
    case 'invalid_request':
      return 'Fix the fields above and retry; add --help for the command’s options.';
    case 'network_error':
    case 'ECONNREFUSED':
      return context.baseUrl
        ? `Is the server running at ${context.baseUrl}? Start the demo server with \`npx @callwire/demo-server\`, or pass --base-url.`
        : 'Check the base URL and your connection.';
    case 'internal':
    case 'bad_gateway':
    case 'unavailable':
    case 'gateway_timeout':
      return 'The server failed, not your request; retry later, and quote the request id when reporting it.';
    case 'payload_too_large':
      return 'The request is too large (1 MiB at most); send less at once.';
    case 'conflict':
    case 'idempotency_conflict':
    case 'duplicate_queue_entry':
      return 'It conflicts with the current state; check it with the matching list or get command.';
    case 'timeout':
      return 'The server did not answer in time; retry, or check the base URL.';
    default:
      return undefined;
  }
}

function toFields(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') out[key] = entry;
    else if (typeof entry === 'object' && entry !== null && 'message' in entry)
      out[key] = String(entry.message);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function toAccounts(value: unknown): ErrorReport['accounts'] {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter(
      (a): a is { uuid: string; name: string } => typeof a?.uuid === 'string' && typeof a?.name === 'string',
    )
    .map((a) => ({ ...a }));
}

function networkCode(error: Error): string | undefined {
  const name = error.name;
  if (name === 'NetworkError') return 'network_error';
  if (name === 'TimeoutError') return 'timeout';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (
    cause &&
    typeof cause.code === 'string' &&
    /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH)$/.test(cause.code)
  )
    return 'network_error';
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return 'network_error';
  return undefined;
}

/** Turns anything thrown into a report; secrets are redacted from every string that came from outside. */
export function toErrorReport(
  error: unknown,
  context: { baseUrl?: string; secrets?: string[] } = {},
): ErrorReport {
  const clean = (s: string) => redact(s, context.secrets ?? []);
  if (error instanceof UsageError) {
    return { message: clean(error.message), exitCode: 2, ...(error.hint ? { hint: error.hint } : {}) };
  }
  if (error instanceof NoAccountSelectedError) {
    return {
      message: error.message,
      exitCode: 1,
      code: 'account_required',
      ...(error.hint ? { hint: error.hint } : {}),
      accounts: error.accounts,
    };
  }
  if (error instanceof CliError) {
    return { message: clean(error.message), exitCode: 1, ...(error.hint ? { hint: error.hint } : {}) };
  }
  if (error instanceof Error) {
    const net = networkCode(error);
    if (net) {
      const report: ErrorReport = {
        message: `Could not reach ${context.baseUrl ?? 'the server'}: ${clean(error.message)}`,
        exitCode: 1,
        code: net,
      };
      const hint = hintFor(net, context);
      if (hint) report.hint = hint;
      return report;
    }
    if (isApiErrorLike(error)) {
      const code = typeof error.code === 'string' ? error.code : undefined;
      const report: ErrorReport = { message: clean(error.message), exitCode: 1 };
      if (code) report.code = code;
      if (typeof error.status === 'number') report.status = error.status;
      const requestId = error.requestId ?? error.request_id;
      if (typeof requestId === 'string') report.requestId = requestId;
      const fields = toFields(error.fields);
      if (fields) report.fields = fields;
      const accounts = toAccounts(error.accounts);
      if (accounts) report.accounts = accounts;
      const retryAfter = typeof error.retryAfter === 'number' ? error.retryAfter : undefined;
      const hint = hintFor(code, { ...context, ...(retryAfter !== undefined ? { retryAfter } : {}) });
      if (hint) report.hint = hint;
      return report;
    }
    return { message: clean(error.message), exitCode: 1 };
  }
  return { message: clean(String(error)), exitCode: 1 };
}

/** Prints the report on stderr: text for people, one JSON object with --json. */
export function printError(output: Output, report: ErrorReport): void {
  if (output.json) {
    const { exitCode: _exitCode, requestId, ...rest } = report;
    const body = { ...rest, ...(requestId ? { request_id: requestId } : {}) };
    output.stderr.write(`${JSON.stringify({ error: body })}\n`);
    return;
  }
  const c = output.err;
  const lines: string[] = [`${c.red('Error:')} ${report.message}`];
  if (report.fields) {
    for (const [field, message] of Object.entries(report.fields)) {
      // The server's message often already is the one field's complaint: say it once.
      if (!report.message.includes(message)) lines.push(`  ${c.bold(field)}: ${message}`);
    }
  }
  if (report.accounts && report.accounts.length > 0) {
    lines.push('');
    lines.push(
      renderTable(
        report.accounts,
        [
          { header: 'ID', value: (a) => a.uuid },
          { header: 'NAME', value: (a) => a.name },
          { header: 'ACCESS', value: (a) => a.access ?? '' },
        ],
        c,
      ).trimEnd(),
    );
  }
  const meta: string[] = [];
  if (report.status !== undefined) meta.push(`status ${report.status}`);
  if (report.code) meta.push(`code ${report.code}`);
  if (report.requestId) meta.push(`request id ${report.requestId}`);
  if (meta.length > 0) lines.push(c.dim(`  (${meta.join(', ')})`));
  if (report.hint) lines.push(`${c.yellow('Hint:')} ${report.hint}`);
  output.stderr.write(`${lines.join('\n')}\n`);
}
