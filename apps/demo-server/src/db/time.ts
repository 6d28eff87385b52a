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
 * {@link isoTime} for callers that ask for the same few milliseconds many times in a row (the event
 * log records thousands of events per second; a send formats its clock reading and the due times
 * of the steps it plans, which the other sends of that millisecond format again): the last `slots`
 * strings are kept, so each of those milliseconds is formatted once. Slots are reused in turn.
 */
export class IsoCache {
  readonly #ms: number[];
  readonly #iso: string[];
  #next = 0;
  /** The millisecond asked for last, and its string. */
  #lastMs = Number.NaN;
  #lastIso = '';

  /** @param slots how many recent milliseconds are kept (@default 1) */
  constructor(slots = 1) {
    this.#ms = new Array<number>(slots).fill(Number.NaN);
    this.#iso = new Array<string>(slots).fill('');
  }

  iso(epochMs: number): string {
    // The event log asks for the same millisecond thousands of times in a row: one compare.
    if (epochMs === this.#lastMs) return this.#lastIso;
    const i = this.#ms.indexOf(epochMs);
    // NaN is never found, so an invalid time still throws from isoTime as before.
    const text = i >= 0 ? (this.#iso[i] as string) : this.#keep(epochMs);
    this.#lastMs = epochMs;
    this.#lastIso = text;
    return text;
  }

  #keep(epochMs: number): string {
    const text = isoTime(epochMs);
    const slot = this.#next;
    this.#ms[slot] = epochMs;
    this.#iso[slot] = text;
    this.#next = slot + 1 === this.#ms.length ? 0 : slot + 1;
    return text;
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
