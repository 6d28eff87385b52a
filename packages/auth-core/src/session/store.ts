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
  get(key: string): SessionRecord | undefined | Promise<SessionRecord | undefined>;
  set(key: string, record: SessionRecord): void | Promise<void>;
  delete(key: string): void | Promise<void>;
}

export const DEFAULT_SESSION_KEY = 'default';

/** The default store: a Map. It refuses to replace a record with one of an older generation. */
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
