/**
 * Storage conventions shared by every table, on both dialects:
 * - times are ISO-8601 UTC strings with milliseconds (`2026-01-16T14:15:48.540Z`) in text columns:
 *   they sort as text, compare with `<`/`>`, and are exactly what the API returns;
 * - booleans are 0/1 integers;
 * - money is integer micro-dollars (bigint on PostgreSQL, read back as a JS number: safe up to 9e15).
 */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * {@link isoTime} for a caller that asks for the same millisecond many times in a row (the event
 * log records thousands of events per second): each millisecond's string is formatted once.
 */
export class IsoCache {
  #ms = Number.NaN;
  #iso = '';

  iso(epochMs: number): string {
    if (epochMs !== this.#ms) {
      this.#iso = isoTime(epochMs);
      this.#ms = epochMs;
    }
    return this.#iso;
  }
}

export function epochMs(iso: string): number {
  return Date.parse(iso);
}

export function toBool(value: number | boolean | null | undefined): boolean {
  return value === true || value === 1;
}

export function fromBool(value: boolean): number {
  return value ? 1 : 0;
}
