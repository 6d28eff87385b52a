import { createHash } from 'node:crypto';
import { type BulkKind, RowError } from './bulk-kinds.js';
import { type CsvTable, parseCsv } from './csv.js';

/** Columns the failures file adds; they are read back when that file is fed to the command again. */
export const KEY_COLUMN = 'idempotency_key';
export const ERROR_COLUMN = 'error';

export interface BulkRow<Req> {
  line: number;
  /** The row's cells by (lower-cased) header, as read: written back unchanged to the failures file. */
  cells: Record<string, string>;
  request?: Req;
  /** Why the row cannot be sent (bad cell, wrong number of fields). */
  problem?: string;
  /** The key from the file's idempotency_key column (a failures file), if any. */
  givenKey?: string;
  /** How many identical requests came before this one in the file. */
  occurrence: number;
}

export interface BulkFile<Req> {
  /** The input's columns without the ones this command adds, in file order. */
  columns: string[];
  rows: BulkRow<Req>[];
}

const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` of a row: a hash of the account, the command and the request the row makes,
 * plus how many identical rows came before it in the file (two identical rows are two messages).
 * It depends on the row, not on its line or on the rest of the file, so a re-run after a crash, after
 * fixing another row, or of the failures file sends nothing the server already accepted (the server
 * replays a key's first answer for 24 hours).
 */
export function rowKey(kind: string, accountId: string, request: unknown, occurrence: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(['callwire-bulk-v1', kind, accountId, request, occurrence]))
    .digest('hex');
  return `cw-bulk-${kind}-${digest.slice(0, 40)}`;
}

/** The key a row is sent with: the one its file gave, else the one derived from the row. */
export function keyOf(row: BulkRow<unknown>, kind: string, accountId: string): string {
  return row.givenKey ?? rowKey(kind, accountId, row.request, row.occurrence);
}

/** Why a header cannot be used, or undefined: required columns present, no unknown ones (typos). */
function headerProblem(kind: BulkKind<unknown>, table: CsvTable): string | undefined {
  const known = new Set([...kind.required, ...kind.optional, KEY_COLUMN, ERROR_COLUMN]);
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
      const given = cells[KEY_COLUMN]?.trim();
      if (given) {
        if (!KEY_SHAPE.test(given)) throw new RowError(`${KEY_COLUMN} must be 1..255 printable characters`);
        row.givenKey = given;
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
  return { columns: table.header.filter((c) => c !== KEY_COLUMN && c !== ERROR_COLUMN), rows };
}
