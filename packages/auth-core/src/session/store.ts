import type { SessionRecord } from './record.js';

/**
 * Where sessions live between calls (and, with a file store, between processes). Keyed by account:
 * `DEFAULT_SESSION_KEY` for the login's own session, the account uuid for each `forAccount()`
 * session. One store belongs to one principal; namespace it yourself to keep several users.
 *
 * `set` must store the record whole (write a temp file and rename, one transaction…): the token and
 * its rotating refresh token only ever make sense together.
 */
export interface SessionStore {
  /** The record stored under `key`, if any. */
  get(key: string): SessionRecord | undefined | Promise<SessionRecord | undefined>;
  /** Stores `record` under `key`, whole. */
  set(key: string, record: SessionRecord): void | Promise<void>;
  /** Forgets the record under `key`. */
  delete(key: string): void | Promise<void>;
}

/** The store key of the login's own session (sessions made for an account are keyed by its uuid). */
export const DEFAULT_SESSION_KEY = 'default';

/**
 * The default store: a Map. It refuses to replace a record with one of an older generation.
 *
 * @example
 * ```ts
 * import { createMemorySessionStore, createSessionAuth } from '@callwire/auth-core';
 *
 * const store = createMemorySessionStore();
 * const auth = createSessionAuth({ baseUrl, username, password, store });
 * ```
 */
export function createMemorySessionStore(): SessionStore {
  const records = new Map<string, SessionRecord>();
  return {
    get: (key) => records.get(key),
    set: (key, record) => {
      const existing = records.get(key);
      if (existing !== undefined && existing.generation > record.generation) return;
      records.set(key, { ...record });
    },
    delete: (key) => {
      records.delete(key);
    },
  };
}
