/** USD with the contract's precision, trailing zeros trimmed past the cents: 99.87895 → $99.87895, 100 → $100.00. */
export function formatMoney(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const fixed = value.toFixed(5).replace(/0{1,3}$/, '');
  return `${value < 0 ? '-' : ''}$${fixed.replace('-', '')}`;
}

/** ISO date-time → `2026-01-16 14:15:48` (UTC, seconds), compact for tables. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

/** Seconds → `1m05s`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** First 8 characters of a UUID, for narrow columns in human output (JSON always has the full id). */
export function shortId(uuid: string): string {
  return uuid.slice(0, 8);
}
