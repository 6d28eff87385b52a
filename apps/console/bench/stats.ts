/** Median and spread of a set of measurements. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Interquartile range: the middle half of the rounds lies within it. */
  p25: number;
  p75: number;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (at - lo);
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
  };
}

export function printRow(name: string, value: string, ratio: number | undefined, note: string): void {
  const r = ratio === undefined ? '' : `${ratio.toFixed(2)}x`;
  process.stdout.write(`${name.padEnd(52)} ${value.padStart(12)} ${r.padStart(7)}  ${note}\n`);
}
