import type { Colors } from './color.js';
import { sanitizeCell } from './table.js';

/** `Label   value` lines for one resource (gh's `view` style); empty values are skipped. */
export function renderKeyValues(
  pairs: readonly [string, string | number | boolean | null | undefined][],
  c: Colors,
): string {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return `${shown.map(([k, v]) => `${c.dim(`${k}:`.padEnd(width + 1))}  ${sanitizeCell(String(v))}`).join('\n')}\n`;
}
