import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { SQLITE_FILE } from '../../src/db/connect.js';
import { loadSqlite } from '../../src/db/quiet-sqlite.js';
import { ACME_NUMBERS } from '../telephony-harness.js';
import type { ChildServer } from './child-server.js';

/** Alice's session token on a child server (demo data). */
export async function loginAlice(base: string): Promise<string> {
  const res = await fetch(`${base}/rest/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
  });
  return ((await res.json()) as { payload: { token: string } }).payload.token;
}

/** Clients sending SMS back to back to a child server until it is killed (see {@link sendLoad}). */
export interface SendLoad {
  /** Uuids of the sends answered 2xx so far. */
  readonly answered: string[];
  /** Sends refused so far: status and body. */
  readonly refused: string[];
  /** Resolves once `count` sends were answered; fails at the first refusal or with what a client threw. */
  until(count: number): Promise<void>;
  /** `kill -9` mid-load; resolves, once every client stopped, with the uuids answered before it. */
  kill(): Promise<string[]>;
}

/**
 * `clients` clients sending SMS from Acme's first number, each to its own destination
 * (`toPrefix` + 4 digits), back to back. A request the kill cuts off was never answered and counts
 * as neither answered nor refused.
 */
export function sendLoad(server: ChildServer, token: string, clients: number, toPrefix: string): SendLoad {
  const answered: string[] = [];
  const refused: string[] = [];
  let killed = false;
  const client = async (i: number) => {
    while (!killed) {
      try {
        const res = await fetch(`${server.url}/rest/sms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            from: ACME_NUMBERS[0],
            to: `${toPrefix}${String(1000 + i)}`,
            message: 'hi',
          }),
        });
        const json = (await res.json()) as { payload: { uuid: string } };
        if (killed) return;
        if (res.ok) answered.push(json.payload.uuid);
        else refused.push(`${res.status} ${JSON.stringify(json)}`);
      } catch (error) {
        if (killed) return; // the connection died with the server
        throw error;
      }
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  // A test that fails midway leaves the clients to fail as its server goes: not a second failure.
  running.catch(() => undefined);
  return {
    answered,
    refused,
    async until(count) {
      while (answered.length < count) {
        if (refused.length > 0) throw new Error(`a send was refused: ${refused[0]}`);
        await Promise.race([running, new Promise((r) => setTimeout(r, 5))]);
      }
    },
    async kill() {
      const acknowledged = [...answered];
      killed = true;
      await server.kill();
      await running;
      return acknowledged;
    },
  };
}

/** Reads a data folder's database straight from the file, as a restarted server finds it. */
export async function readDataFolder<T>(dir: string, read: (db: DatabaseSync) => T): Promise<T> {
  const { DatabaseSync } = await loadSqlite();
  const db = new DatabaseSync(join(dir, SQLITE_FILE));
  try {
    return read(db);
  } finally {
    db.close();
  }
}
