import { hash } from 'node:crypto';
import { ApiError } from './api-error.js';
import type { IdempotencyStore } from './idempotency-store.js';

/**
 * `Idempotency-Key` on POST. The first request with a key inserts a `pending` record
 * (a primary-key insert, so of two concurrent requests exactly one wins on both dialects); the
 * response is stored before it is sent. A second request with the same principal, key and body
 * waits for the first one in this process and replays its answer; with a different body it gets
 * 409 `idempotency_conflict`. A request still pending in another instance gets 409 `conflict`.
 * 5xx answers are not kept, so the client may retry them.
 */
export type IdempotencyDecision =
  | { kind: 'proceed' }
  | { kind: 'replay'; status: number; headers: Record<string, string>; body: string };

export const MAX_IDEMPOTENCY_KEY = 255;
/** Response headers a replay repeats. */
const REPLAYED_HEADERS = ['content-type', 'location', 'x-account-id'];
/** A pending record older than this (its request died with its process) may be taken over. */
const STALE_PENDING_MS = 60_000;

export function bodyHash(method: string, path: string, body: unknown): string {
  return hash('sha256', `${method} ${path}\n${body === undefined ? '' : JSON.stringify(body)}`, 'base64url');
}

/** The `Idempotency-Key` protocol over its records (see the top of this file). */
export class IdempotencyKeys {
  readonly #store: IdempotencyStore;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #inflight = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  constructor(store: IdempotencyStore, now: () => number, ttlMs: number) {
    this.#store = store;
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  async begin(principal: string, key: string, hashValue: string): Promise<IdempotencyDecision> {
    const id = `${principal}\u0000${key}`;
    for (let attempt = 0; attempt < 50; attempt++) {
      // A request with this key already running in this process: wait for its answer, then replay it.
      const running = this.#inflight.get(id);
      if (running !== undefined) {
        await running.promise;
        continue;
      }
      const now = this.#now();
      const row = await this.#store.find(principal, key);
      if (row !== undefined && Date.parse(row.expires_on) <= now) {
        await this.#delete(principal, key);
        continue;
      }
      if (row !== undefined) {
        if (row.body_hash !== hashValue) {
          throw new ApiError(
            'idempotency_conflict',
            'This Idempotency-Key was already used with a different request body: use a new key',
          );
        }
        if (row.state === 'done') {
          return {
            kind: 'replay',
            status: row.status ?? 200,
            headers: row.headers === null ? {} : (JSON.parse(row.headers) as Record<string, string>),
            body: row.body ?? '',
          };
        }
        const local = this.#inflight.get(id);
        if (local !== undefined) {
          await local.promise;
          continue;
        }
        if (now - Date.parse(row.created_on) > STALE_PENDING_MS) {
          await this.#delete(principal, key);
          continue;
        }
        throw new ApiError(
          'conflict',
          'A request with this Idempotency-Key is still in progress; retry shortly',
          {
            headers: { 'retry-after': '1' },
          },
        );
      }
      // Claim the key in this process before the insert commits: a concurrent request here that then
      // reads our pending row finds the claim and waits for our answer, instead of answering 409 as it
      // would for a request pending in another instance.
      if (this.#inflight.has(id)) continue;
      let resolve: () => void = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      const claim = { promise, resolve };
      this.#inflight.set(id, claim);
      let won = false;
      try {
        won = await this.#store.claim(principal, key, hashValue, now, now + this.#ttlMs);
      } finally {
        if (!won) {
          // Another instance holds the key (or the insert failed): drop our claim and look again.
          this.#inflight.delete(id);
          claim.resolve();
        }
      }
      if (won) return { kind: 'proceed' };
    }
    throw new ApiError('conflict', 'A request with this Idempotency-Key is still in progress; retry shortly');
  }

  async complete(
    principal: string,
    key: string,
    status: number,
    headers: Record<string, unknown>,
    body: string,
  ): Promise<void> {
    try {
      if (status >= 500) {
        await this.#delete(principal, key);
        return;
      }
      const kept: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const v = headers[name];
        if (typeof v === 'string' || typeof v === 'number') kept[name] = String(v);
      }
      await this.#store.complete(principal, key, status, JSON.stringify(kept), body);
    } finally {
      this.#release(principal, key);
    }
  }

  async abandon(principal: string, key: string): Promise<void> {
    try {
      await this.#delete(principal, key);
    } finally {
      this.#release(principal, key);
    }
  }

  /** Deletes expired records; called periodically. */
  async sweep(): Promise<void> {
    await this.#store.deleteExpired(this.#now());
  }

  #release(principal: string, key: string): void {
    const k = `${principal}\u0000${key}`;
    const local = this.#inflight.get(k);
    this.#inflight.delete(k);
    local?.resolve();
  }

  #delete(principal: string, key: string): Promise<void> {
    return this.#store.delete(principal, key);
  }
}
