import { createHash } from 'node:crypto';
import { type BulkKind, RowError } from './bulk-kinds.js';
import { type CsvTable, parseCsv } from './csv.js';

/**
 * Columns the failures file adds. `occurrence` is read back when that file is fed to the command
 * again (it keeps a repeated row's key); `error` is only for people.
 */
export const OCCURRENCE_COLUMN = 'occurrence';
export const ERROR_COLUMN = 'error';

export interface BulkRow<Req> {
  line: number;
  /** The row's cells by (lower-cased) header, as read: written back unchanged to the failures file. */
  cells: Record<string, string>;
  request?: Req;
  /** Why the row cannot be sent (bad cell, wrong number of fields). */
  problem?: string;
  /**
   * How many identical requests came before this one in the file (or in the file a failures file
   * came from): the second of two identical rows is a second message, with a key of its own.
   */
  occurrence: number;
}

export interface BulkFile<Req> {
  /** The input's columns without the ones this command adds, in file order. */
  columns: string[];
  rows: BulkRow<Req>[];
}

/**
 * The `Idempotency-Key` of a row: a hash of the account, the command and the request the row makes,
 * plus how many identical rows came before it in the file (two identical rows are two messages).
 * It depends on the row, not on its line or on the rest of the file, so a re-run after a crash, after
 * fixing another row, or of the failures file sends nothing the server already accepted (the server
 * replays a key's first answer for 24 hours), while a row that was changed is a new request.
 */
export function rowKey(kind: string, accountId: string, request: unknown, occurrence: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(['callwire-bulk-v1', kind, accountId, request, occurrence]))
    .digest('hex');
  return `cw-bulk-${kind}-${digest.slice(0, 40)}`;
}

/** The `Idempotency-Key` a row is sent with. */
export function keyOf(row: BulkRow<unknown>, kind: string, accountId: string): string {
  return rowKey(kind, accountId, row.request, row.occurrence);
}

/** Why a header cannot be used, or undefined: required columns present, no unknown ones (typos). */
function headerProblem(kind: BulkKind<unknown>, table: CsvTable): string | undefined {
  const known = new Set([...kind.required, ...kind.optional, OCCURRENCE_COLUMN, ERROR_COLUMN]);
  const missing = kind.required.filter((c) => !table.header.includes(c));
  if (missing.length > 0)
    return `the header row has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}`;
  const unknown = table.header.filter((c) => !known.has(c));
  if (unknown.length > 0)
    return `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')} (known: ${[...kind.required, ...kind.optional].join(', ')})`;
  const seen = new Set<string>();
  for (const c of table.header) {
    if (seen.has(c)) return `the column "${c}" appears twice`;
    seen.add(c);
  }
  return undefined;
}

/** Reads a bulk CSV into rows ready to send; a bad header is a usage error, a bad row only that row's. */
export function readBulkFile<Req>(
  kind: BulkKind<Req>,
  text: string,
  defaults: { from?: string },
): BulkFile<Req> | { problem: string } {
  let table: CsvTable;
  try {
    table = parseCsv(text);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const problem = headerProblem(kind as BulkKind<unknown>, table);
  if (problem) return { problem: `line 1: ${problem}` };
  const occurrences = new Map<string, number>();
  const rows = table.records.map((record): BulkRow<Req> => {
    const cells: Record<string, string> = {};
    table.header.forEach((column, i) => {
      cells[column] = record.fields[i] ?? '';
    });
    const row: BulkRow<Req> = { line: record.line, cells, occurrence: 0 };
    try {
      if (record.fields.length !== table.header.length)
        throw new RowError(
          `has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, the header has ${table.header.length}`,
        );
      const request = kind.toRequest(cells, defaults);
      const given = cells[OCCURRENCE_COLUMN]?.trim();
      if (given) {
        if (!/^\d{1,6}$/.test(given))
          throw new RowError(`${OCCURRENCE_COLUMN} must be a whole number, got "${given}"`);
        row.occurrence = Number(given);
      } else {
        const id = JSON.stringify(request);
        row.occurrence = occurrences.get(id) ?? 0;
        occurrences.set(id, row.occurrence + 1);
      }
      row.request = request;
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      row.problem = error.message;
    }
    return row;
  });
  return { columns: table.header.filter((c) => c !== OCCURRENCE_COLUMN && c !== ERROR_COLUMN), rows };
}
