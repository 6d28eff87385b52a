import { hash, randomBytes } from 'node:crypto';

/**
 * A cache of verified credentials: entries live at most `ttlMs`, a miss is verified
 * once however many requests ask at the same time (single-flight), failures are never stored, and
 * each entry carries tags (user id, credential id, …) whose invalidation drops it at once.
 *
 * Keys are what the caller passes to get/resolve. For secrets that would otherwise not stay in
 * memory (a Basic header: a password), use {@link VerifiedCache.key}: a one-shot SHA-256 of a
 * per-process random salt and the secret, ~1 µs, so a heap dump does not reveal the credentials
 * (measured: an HMAC object per request costs ~20x more).
 */
interface Entry<V> {
  value: V;
  expiresAt: number;
  tags: readonly string[];
  gens: readonly number[];
  /** The invalidation count at which `tags` were last found current: until the next one, they still are. */
  checkedAt: number;
}

export type VerifyOutcome<V> =
  | { ok: true; value: V; tags: readonly string[] }
  | { ok: false; error: unknown };

export class VerifiedCache<V> {
  readonly #salt = randomBytes(16).toString('hex');
  readonly #entries = new Map<string, Entry<V>>();
  readonly #inflight = new Map<string, Promise<VerifyOutcome<V>>>();
  readonly #tagGens = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;
  readonly #maxTags: number;

  /**
   * @param maxEntries verified credentials kept at most (the oldest goes first). @default 100_000
   * @param maxTags invalidation marks kept at most (see {@link VerifiedCache.invalidate}). @default 100_000
   */
  constructor(ttlMs: number, now: () => number, maxEntries = 100_000, maxTags = 100_000) {
    this.#ttlMs = ttlMs;
    this.#now = now;
    this.#maxEntries = maxEntries;
    this.#maxTags = maxTags;
  }

  key(secret: string): string {
    return hash('sha256', this.#salt + secret, 'base64');
  }

  /** The cached value; `now` saves a clock read to a caller that has one already. */
  get(key: string, now = this.#now()): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now || !this.#current(entry)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** The cached value, or the result of one shared `verify` call for everyone missing at once. */
  async resolve(key: string, verify: () => Promise<VerifyOutcome<V>>): Promise<VerifyOutcome<V>> {
    const hit = this.get(key);
    if (hit !== undefined) return { ok: true, value: hit, tags: [] };
    let flight = this.#inflight.get(key);
    if (flight === undefined) {
      const epochAtStart = this.#snapshotAll();
      flight = verify()
        .then((outcome) => {
          if (outcome.ok && this.#ttlMs > 0) this.#store(key, outcome, epochAtStart);
          return outcome;
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, flight);
    }
    return flight;
  }

  /** Drops every entry tagged `tag` (and any verification of it in flight from being stored). */
  invalidate(tag: string): void {
    // Every revoked credential leaves a mark here, so marks pile up for as long as the server runs
    // (logouts, refreshes, deleted tokens). Past the bound, the marks go together with every entry:
    // an entry is only judged against marks that existed when it was stored, so with both gone none
    // can be served stale; the next requests are verified again, once each.
    if (this.#tagGens.size >= this.#maxTags && !this.#tagGens.has(tag)) {
      this.#tagGens.clear();
      this.#entries.clear();
    }
    this.#tagGens.set(tag, (this.#tagGens.get(tag) ?? 0) + 1);
    this.#globalGen++;
  }

  /** How many invalidation marks are kept (at most `maxTags`). */
  get tagCount(): number {
    return this.#tagGens.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#globalGen++;
  }

  get size(): number {
    return this.#entries.size;
  }

  #globalGen = 0;

  #snapshotAll(): number {
    return this.#globalGen;
  }

  #store(key: string, outcome: { value: V; tags: readonly string[] }, genAtStart: number): void {
    // An invalidation happened while verifying: the result may describe the old state; do not keep it.
    if (genAtStart !== this.#globalGen) return;
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, {
      value: outcome.value,
      expiresAt: this.#now() + this.#ttlMs,
      tags: outcome.tags,
      gens: outcome.tags.map((t) => this.#tagGens.get(t) ?? 0),
      checkedAt: this.#globalGen,
    });
  }

  #current(entry: Entry<V>): boolean {
    // Invalidations are rare and hits are every request: while none happened since an entry was
    // last checked, its tags need no lookups.
    if (entry.checkedAt === this.#globalGen) return true;
    for (let i = 0; i < entry.tags.length; i++) {
      if ((this.#tagGens.get(entry.tags[i] as string) ?? 0) !== entry.gens[i]) return false;
    }
    entry.checkedAt = this.#globalGen;
    return true;
  }
}
