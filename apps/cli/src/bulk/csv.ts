/**
 * RFC 4180 CSV for bulk files: a header row, then one record per row. Quoted fields may hold commas,
 * doubled quotes and line breaks; CRLF or LF line ends; a UTF-8 byte order mark is ignored. Each
 * record keeps the line it starts on, so problems are reported the way an editor shows the file.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseCsv(text: string): CsvTable {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteStartLine = 0;
  let atFieldStart = true;
  const endField = () => {
    fields.push(field);
    field = '';
    atFieldStart = true;
  };
  const endRow = () => {
    endField();
    // A blank line is no record (editors often leave one at the end).
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && atFieldStart) {
      quoted = true;
      quoteStartLine = line;
      atFieldStart = false;
    } else if (ch === '"') {
      throw new CsvSyntaxError(
        line,
        'a quote inside an unquoted field (quote the whole field and double the quote)',
      );
    } else if (ch === ',') endField();
    else if (ch === '\r' && input[i + 1] === '\n') continue;
    else if (ch === '\n') {
      endRow();
      line++;
      rowLine = line;
    } else {
      field += ch;
      atFieldStart = false;
    }
  }
  if (quoted) throw new CsvSyntaxError(quoteStartLine, 'a quoted field is never closed');
  if (field !== '' || fields.length > 0) endRow();
  const [head, ...records] = rows;
  if (head === undefined) throw new CsvSyntaxError(1, 'the file is empty; it needs a header row');
  return { header: head.fields.map((h) => h.trim().toLowerCase()), records };
}

/** One CSV cell; quoted when it holds a comma, a quote or a line break, so it reads back unchanged. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A cell that is only read by people (error messages): prefixed with ' when it starts like a
 * spreadsheet formula, so opening the file never runs one.
 */
export function csvTextCell(value: string): string {
  return csvCell(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}
