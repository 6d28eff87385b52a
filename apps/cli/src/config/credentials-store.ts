import { readJsonFile, writeFileAtomic } from './atomic-write.js';

/**
 * A session as auth-core's session store hands it over (its SessionRecord): the bearer token and the
 * rotating refresh token, never the password. `expiresAt` is local-clock ms (login start +
 * token_lifetime: the server's clock may differ from this machine's). The record belongs to
 * auth-core, so fields this file does not know are kept as they are (primitives only).
 */
export interface StoredSessionRecord {
  version: 1;
  token: string;
  refreshToken: string;
  expiresAt: number;
  accountId: string;
  generation: number;
  [field: string]: string | number | boolean | null | undefined;
}

/**
 * A password login: the sessions auth-core keeps, keyed like its store (`default` for the login's
 * own session, an account uuid for each account it was bound to), plus who logged in.
 */
export interface StoredSessions {
  type: 'session';
  username: string;
  sessions: Record<string, StoredSessionRecord>;
}

/** A long-lived API token saved by `callwire login --with-token`. */
export interface StoredApiToken {
  type: 'api_token';
  token: string;
}

export type StoredCredential = StoredSessions | StoredApiToken;

interface CredentialsFile {
  profiles: Record<string, StoredCredential>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Never persisted, whatever object they ride along on. */
const FORBIDDEN = /pass(word)?|secret/i;

/** Checks a session record and copies its primitive fields, or returns undefined when it is not one. */
export function parseSessionRecord(value: unknown): StoredSessionRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { token, refreshToken, expiresAt, accountId } = value;
  if (value.version !== 1 || typeof token !== 'string' || token.length === 0) return undefined;
  if (typeof refreshToken !== 'string' || typeof expiresAt !== 'number' || typeof accountId !== 'string') {
    return undefined;
  }
  const record: StoredSessionRecord = {
    version: 1,
    token,
    refreshToken,
    expiresAt,
    accountId,
    generation: typeof value.generation === 'number' ? value.generation : 0,
  };
  for (const [key, field] of Object.entries(value)) {
    if (key in record || FORBIDDEN.test(key)) continue;
    if (field === null || ['string', 'number', 'boolean'].includes(typeof field)) {
      record[key] = field as string | number | boolean | null;
    }
  }
  return record;
}

/**
 * Only known fields are kept, on read and on write: a password, or anything else riding along on an
 * object, can never reach the disk, and a hand-edited file cannot smuggle in surprises.
 */
function parseCredential(value: unknown): StoredCredential | undefined {
  if (!isRecord(value)) return undefined;
  if (value.type === 'api_token') {
    return typeof value.token === 'string' && value.token.length > 0
      ? { type: 'api_token', token: value.token }
      : undefined;
  }
  if (value.type !== 'session' || typeof value.username !== 'string') return undefined;
  const sessions: Record<string, StoredSessionRecord> = {};
  if (isRecord(value.sessions)) {
    for (const [key, record] of Object.entries(value.sessions)) {
      const parsed = parseSessionRecord(record);
      if (parsed !== undefined) sessions[key] = parsed;
    }
  }
  return { type: 'session', username: value.username, sessions };
}

/**
 * The credentials file: JSON, mode 0600, inside the 0700 config folder, written atomically (temp +
 * rename) so that a refresh racing a crash never leaves a half-written file, and with it a user
 * whose refresh token was already spent on the server. Every write re-reads the file first, so
 * another callwire process's change to another profile or account is kept.
 */
export class CredentialStore {
  constructor(readonly path: string) {}

  private async readFile(): Promise<CredentialsFile> {
    const raw = await readJsonFile(this.path);
    const file: CredentialsFile = { profiles: {} };
    if (isRecord(raw) && isRecord(raw.profiles)) {
      for (const [name, value] of Object.entries(raw.profiles)) {
        const credential = parseCredential(value);
        if (credential !== undefined) file.profiles[name] = credential;
      }
    }
    return file;
  }

  /** Every profile with stored credentials. */
  async all(): Promise<Record<string, StoredCredential>> {
    return (await this.readFile()).profiles;
  }

  async get(profile: string): Promise<StoredCredential | undefined> {
    return (await this.readFile()).profiles[profile];
  }

  async set(profile: string, credential: StoredCredential): Promise<void> {
    const clean = parseCredential(credential);
    if (clean === undefined) throw new Error('refusing to store an incomplete credential');
    await this.update((file) => {
      file.profiles[profile] = clean;
    });
  }

  async delete(profile: string): Promise<boolean> {
    let found = false;
    await this.update((file) => {
      found = profile in file.profiles;
      delete file.profiles[profile];
    });
    return found;
  }

  /** Read-modify-write of the whole file, serialised within this process. */
  async update(change: (file: CredentialsFile) => void): Promise<void> {
    const next = this.queue.then(async () => {
      const file = await this.readFile();
      change(file);
      await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
    });
    // Keep the chain alive after a failure; the caller still sees its own error.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private queue: Promise<unknown> = Promise.resolve();

  /**
   * auth-core's SessionStore for one profile. `set` refuses to replace a record with one of an
   * older generation (a slow refresh finishing after a newer one), like auth-core's memory store.
   */
  sessionStore(profile: string, username: string, options: { replace?: boolean } = {}) {
    // For a new login: its first stored session replaces whatever the profile held, and nothing is
    // written before the server accepted the password (a failed login leaves the file untouched).
    let replace = options.replace === true;
    return {
      get: async (key: string): Promise<StoredSessionRecord | undefined> => {
        if (replace) return undefined;
        const credential = await this.get(profile);
        return credential?.type === 'session' ? credential.sessions[key] : undefined;
      },
      set: async (key: string, record: StoredSessionRecord): Promise<void> => {
        const clean = parseSessionRecord(record);
        if (clean === undefined) return;
        await this.update((file) => {
          const current = file.profiles[profile];
          const keep = !replace && current?.type === 'session' && current.username === username;
          const sessions = keep && current?.type === 'session' ? current.sessions : {};
          replace = false;
          const existing = sessions[key];
          if (existing !== undefined && existing.generation > clean.generation) return;
          sessions[key] = clean;
          file.profiles[profile] = { type: 'session', username, sessions };
        });
      },
      delete: async (key: string): Promise<void> => {
        await this.update((file) => {
          const current = file.profiles[profile];
          if (current?.type === 'session') delete current.sessions[key];
        });
      },
    };
  }
}
