import { identityKey } from './identity-key.js';

/**
 * Failed password checks counted per (email, IP) and per IP. Over a threshold within
 * the window, attempts are refused with 429 before any password is checked, for a lockout that
 * doubles with each further failure, capped at 15 minutes. A success resets the (email, IP) counter.
 */
interface Counter {
  failures: number;
  firstAt: number;
  lastAt: number;
}

export interface BruteForceLimits {
  perEmailIp: number;
  perIp: number;
  windowMs: number;
}

const BASE_LOCKOUT_MS = 30_000;
const MAX_LOCKOUT_MS = 15 * 60_000;

export class BruteForceGuard {
  readonly #byEmailIp = new Map<string, Counter>();
  readonly #byIp = new Map<string, Counter>();
  readonly #limits: BruteForceLimits;
  readonly #now: () => number;

  constructor(limits: BruteForceLimits, now: () => number) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Seconds to wait when attempts for this (id, ip) are locked out, else 0. */
  retryAfter(id: string, ip: string): number {
    const now = this.#now();
    const a = this.#lockout(this.#byEmailIp, emailIpKey(id, ip), this.#limits.perEmailIp, now);
    const b = this.#lockout(this.#byIp, ip, this.#limits.perIp, now);
    return Math.ceil(Math.max(a, b) / 1000);
  }

  /** Cheapest pre-check for the hot path: no failure counted anywhere means no lockout at all. */
  anyFailures(): boolean {
    return this.#byIp.size > 0;
  }

  /** Cheap pre-check for the hot path: no failure counted for this IP means no lockout at all. */
  hasFailures(ip: string): boolean {
    return this.#byIp.has(ip);
  }

  fail(id: string, ip: string): void {
    const now = this.#now();
    this.#bump(this.#byEmailIp, emailIpKey(id, ip), now);
    this.#bump(this.#byIp, ip, now);
  }

  succeed(id: string, ip: string): void {
    this.#byEmailIp.delete(emailIpKey(id, ip));
  }

  #lockout(map: Map<string, Counter>, key: string, threshold: number, now: number): number {
    const c = map.get(key);
    if (c === undefined) return 0;
    if (now - c.lastAt > this.#limits.windowMs) {
      map.delete(key);
      return 0;
    }
    if (c.failures < threshold) return 0;
    const lock = Math.min(MAX_LOCKOUT_MS, BASE_LOCKOUT_MS * 2 ** Math.min(20, c.failures - threshold));
    return Math.max(0, c.lastAt + lock - now);
  }

  #bump(map: Map<string, Counter>, key: string, now: number): void {
    const c = map.get(key);
    if (c === undefined || now - c.lastAt > this.#limits.windowMs) {
      map.set(key, { failures: 1, firstAt: now, lastAt: now });
      if (map.size > 100_000) this.#sweep(map, now);
      return;
    }
    c.failures++;
    c.lastAt = now;
  }

  #sweep(map: Map<string, Counter>, now: number): void {
    for (const [k, c] of map) if (now - c.lastAt > this.#limits.windowMs) map.delete(k);
  }
}

/** Counters are keyed by the normalised identity, so whitespace or case variants share one count. */
function emailIpKey(id: string, ip: string): string {
  return `${identityKey(id)}\u0000${ip}`;
}
