/** One line of benchmark output. Sections (`bench/<area>.ts`) export `run(report)` and call `report(row)`. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** value / the section's baseline measured in the same run. */
  ratio?: number;
  note?: string;
}

/** How a section hands its rows to the runner. */
export type Report = (row: BenchRow) => void;

export function printRow(row: BenchRow): void {
  const value = row.value >= 100 ? Math.round(row.value).toLocaleString('en-US') : row.value.toFixed(2);
  const ratio = row.ratio === undefined ? '' : `  ${formatRatio(row.ratio)}`;
  const note = row.note === undefined ? '' : `  (${row.note})`;
  process.stdout.write(`${row.name.padEnd(52)} ${value.padStart(10)} ${row.unit}${ratio}${note}\n`);
}

/** "0.24x"; a ratio far below 1 keeps two significant digits ("0.0034x") where two decimals print 0.00x. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 0.1 || ratio === 0 ? ratio.toFixed(2) : ratio.toPrecision(2)}x`;
}
