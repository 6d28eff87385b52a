import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { toErrorReport } from '../output/render-error.js';
import { actingAccount } from '../session.js';
import { type BulkRow, ERROR_COLUMN, keyOf, OCCURRENCE_COLUMN, readBulkFile } from './bulk-file.js';
import type { BulkKind } from './bulk-kinds.js';
import { csvCell, csvTextCell } from './csv.js';
import { Progress } from './progress.js';

export interface BulkOptions {
  file: string;
  /** Default sender for rows without a `from` column. */
  from?: string;
  /** Requests in flight at once. @default 4 */
  concurrency: number;
  /** Where failed rows go. @default `<file>.failures.csv` next to the input */
  failures?: string;
}

export type RowResult =
  | { line: number; ok: true; uuid: string; state: string; replayed: boolean; idempotency_key: string }
  | { line: number; ok: false; error: string; code?: string; idempotency_key?: string };

/** `messages.csv` → `messages.failures.csv` in the same folder. */
export function defaultFailuresPath(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.failures.csv`);
}

function failuresCsv(
  input: string[],
  rows: { row: BulkRow<unknown>; error: string }[],
  from: string | undefined,
): string {
  // The sender given with --from becomes a column, so the file can be fed back without it.
  const columns = from === undefined || input.includes('from') ? input : [...input, 'from'];
  const header = [...columns, OCCURRENCE_COLUMN, ERROR_COLUMN];
  const lines = [header.join(',')];
  for (const { row, error } of rows) {
    const value = (column: string) =>
      column === 'from' && !row.cells.from?.trim() ? (from ?? '') : (row.cells[column] ?? '');
    // A row that could not be read keeps an empty occurrence: it is counted afresh once fixed.
    const occurrence = row.request === undefined ? '' : String(row.occurrence);
    lines.push([...columns.map((c) => csvCell(value(c))), occurrence, csvTextCell(error)].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * `callwire sms bulk` and `callwire calls bulk`: every row of a CSV file becomes one request, a few
 * at a time. Each request carries an `Idempotency-Key` derived from its row, so running the same file
 * again (after a crash, Ctrl-C or a fix) sends nothing the server already accepted. Rows that fail
 * (a bad cell, a refused request, or not sent because the run was stopped) go to a failures file
 * with the same columns, which can be fed back as it is.
 */
export async function runBulk<Req>(ctx: Context, kind: BulkKind<Req>, opts: BulkOptions): Promise<void> {
  let text: string;
  try {
    text = await readFile(opts.file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${opts.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
  const file = readBulkFile(kind, text, opts.from ? { from: opts.from } : {});
  if ('problem' in file) throw new UsageError(`${opts.file} ${file.problem}.`, bulkHint(kind));
  if (file.rows.length === 0) throw new UsageError(`${opts.file} has a header but no rows.`);

  const { api, account } = await actingAccount(ctx);
  const { output } = ctx;
  const progress = new Progress({
    mode: output.json ? 'silent' : ctx.io.stderr.isTTY ? 'bar' : 'lines',
    stream: ctx.io.stderr,
    colors: output.err,
    total: file.rows.length,
  });
  const results: RowResult[] = new Array(file.rows.length);
  const failed: { row: BulkRow<unknown>; error: string }[] = [];
  const fail = (i: number, row: BulkRow<Req>, error: string, code?: string, key?: string) => {
    results[i] = {
      line: row.line,
      ok: false,
      error,
      ...(code ? { code } : {}),
      ...(key ? { idempotency_key: key } : {}),
    };
    failed.push({ row, error });
    progress.note(`${output.err.red('✗')} line ${row.line}: ${error}`);
    progress.tick(true);
  };

  let next = 0;
  const signal = ctx.io.signal;
  const worker = async () => {
    for (;;) {
      const i = next++;
      const row = file.rows[i];
      if (row === undefined) return;
      if (row.request === undefined) {
        fail(i, row, row.problem ?? 'cannot be sent');
        continue;
      }
      const key = keyOf(row, kind.name, account.uuid);
      if (signal?.aborted) {
        fail(i, row, 'not sent: the run was interrupted', 'interrupted', key);
        continue;
      }
      try {
        const { data, replayed } = await kind.send(api, row.request, key);
        results[i] = {
          line: row.line,
          ok: true,
          uuid: data.uuid,
          state: data.state,
          replayed,
          idempotency_key: key,
        };
        progress.tick(false);
      } catch (error) {
        const report = toErrorReport(error, { baseUrl: ctx.settings.baseUrl, secrets: [...ctx.secrets] });
        fail(i, row, report.message, report.code, key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, file.rows.length) }, worker));
  progress.finish();

  const failuresPath = opts.failures ?? defaultFailuresPath(opts.file);
  if (failed.length > 0) {
    failed.sort((a, b) => a.row.line - b.row.line);
    await writeFile(failuresPath, failuresCsv(file.columns, failed, opts.from), { mode: 0o600 });
  }
  const sent = results.filter((r) => r.ok && !r.replayed).length;
  const replayed = results.filter((r) => r.ok && r.replayed).length;
  const summary = {
    file: opts.file,
    account: { uuid: account.uuid, name: account.name },
    total: file.rows.length,
    sent,
    replayed,
    failed: failed.length,
    failures_file: failed.length > 0 ? failuresPath : null,
    results,
  };
  output.result(summary, () => '');
  const noun = kind.name === 'sms' ? 'SMS' : 'calls';
  const parts = [`${sent} ${noun} ${kind.name === 'sms' ? 'sent' : 'placed'}`];
  if (replayed > 0) parts.push(`${replayed} already done by an earlier run (not sent again)`);
  if (failed.length === 0) {
    output.success(`${parts.join(', ')}; no failures.`);
    return;
  }
  parts.push(`${failed.length} failed`);
  output.info(parts.join(', '));
  throw new CliError(
    `${failed.length} of ${file.rows.length} rows failed; they are in ${failuresPath}.`,
    `Fix them there and run \`callwire ${kind.name} bulk --file ${failuresPath}\`: rows already sent are never sent twice.`,
  );
}

function bulkHint(kind: BulkKind<unknown>): string {
  return `The first row names the columns: ${kind.required.join(', ')} (required), ${kind.optional.join(', ')} (optional).`;
}
