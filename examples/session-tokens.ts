// Session auth whose tokens outlive the process. The first run logs in with the password; the
// session token and its refresh token go to a file (never the password), and later runs start from
// that file: no password needed while the refresh token lives. Refreshed tokens are written back at
// once, so the file always holds the newest pair.
//
//   npx @callwire/demo-server          # in another terminal
//   node session-tokens.ts             # logs in as alice; run it again: no login, same session
import {
  createSessionAuth,
  DEFAULT_SESSION_KEY,
  type SessionRecord,
  type SessionStore,
} from '@callwire/auth-core';
import { createClient } from '@callwire/rest-client';
import { readJsonFile, writeJsonFile } from './json-file.ts';

/** A SessionStore in one JSON file: one record per key (the login's, and one per forAccount()). */
export function fileSessionStore(path: string): SessionStore {
  const read = () => readJsonFile<Record<string, SessionRecord>>(path, {});
  return {
    get: (key) => read()[key],
    set: (key, record) => writeJsonFile(path, { ...read(), [key]: record }),
    delete: (key) => {
      const { [key]: _gone, ...rest } = read();
      writeJsonFile(path, rest);
    },
  };
}

export interface SessionTokensOptions {
  baseUrl: string;
  /** Where the tokens are kept between runs. */
  file: string;
  /** Needed only when the file holds no usable session. */
  username?: string;
  password?: string;
  log?: (line: string) => void;
}

export async function whoAmI(options: SessionTokensOptions) {
  const { baseUrl, file, username, password, log = console.log } = options;
  const resumed = readJsonFile<Record<string, unknown>>(file, {})[DEFAULT_SESSION_KEY] !== undefined;
  const auth = createSessionAuth({
    baseUrl,
    store: fileSessionStore(file),
    ...(resumed ? {} : { username, password }),
  });
  const client = createClient({ baseUrl, auth });
  const profile = await client.auth.profile();
  log(`${resumed ? 'Resumed the stored session' : 'Logged in'} as ${profile.email}; tokens in ${file}`);
  return { resumed, email: profile.email };
}

if (import.meta.main) {
  await whoAmI({
    baseUrl: process.env.CALLWIRE_BASE_URL ?? 'http://127.0.0.1:8787',
    file: process.env.CALLWIRE_SESSION_FILE ?? '.callwire-session.json',
    username: process.env.CALLWIRE_USERNAME ?? 'alice@example.com',
    password: process.env.CALLWIRE_PASSWORD ?? 'alice-pass-1',
  });
}
