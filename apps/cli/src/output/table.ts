import { type Colors, visibleLength } from './color.js';

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Right-align numbers and money. */
  align?: 'left' | 'right';
  /**
   * Colours the padded cell. Colour is applied after the width is measured and the cell padded, so
   * escape codes never count as width, and server text is sanitised before any colour is added.
   */
  style?: (row: T) => ((text: string) => string) | undefined;
}

/**
 * A plain, aligned table like gh's: a bold header row, two spaces between columns, no borders (so it
 * pastes well and greps well). Control characters in cells are escaped, because cell values come from
 * the server (SMS bodies) and must not move the cursor of the person reading them.
 */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], c: Colors): string {
  const cells = rows.map((row) => columns.map((col) => sanitizeCell(col.value(row))));
  const widths = columns.map((col, i) =>
    Math.max(col.header.length, ...cells.map((r) => visibleLength(r[i] ?? ''))),
  );
  const pad = (text: string, i: number) => {
    const width = widths[i] ?? 0;
    const fill = ' '.repeat(Math.max(0, width - visibleLength(text)));
    return columns[i]?.align === 'right' ? fill + text : text + fill;
  };
  const lines = [
    columns
      .map((col, i) => c.bold(pad(col.header, i)))
      .join('  ')
      .trimEnd(),
  ];
  cells.forEach((row, r) => {
    const styled = row.map((cell, i) => {
      const style = columns[i]?.style?.(rows[r] as T);
      const padded = pad(cell, i);
      if (style === undefined) return padded;
      // Trailing padding stays outside the escape codes, so trimming the line still works.
      const text = padded.trimEnd();
      return style(text) + padded.slice(text.length);
    });
    lines.push(styled.join('  ').trimEnd());
  });
  return `${lines.join('\n')}\n`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
export function sanitizeCell(value: string): string {
  return value.replace(CONTROL, (ch) => (ch === '\n' ? '⏎' : ch === '\t' ? ' ' : '�'));
}

/** Truncates long text (SMS bodies) for a table cell, with an ellipsis. */
export function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(0, max - 1))}…`;
}
