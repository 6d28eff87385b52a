import type { Kysely } from 'kysely';
import pg from 'pg';
import { DEMO_ACCOUNTS } from '../src/seed/demo-identity.js';
import { type RunningServer, startServer } from '../src/server.js';
import { demoNumbers } from '../src/telephony/seed.js';
import { ManualClock } from '../src/telephony/sim/clock.js';
import type { Telephony } from '../src/telephony/telephony.js';

/**
 * An in-process demo server for the telephony tests: seeded, on a ManualClock (no test sleeps:
 * time moves with `advance`), on SQLite in memory or on PostgreSQL when TEST_DATABASE_URL is set
 * (one fresh schema per server).
 */
export const ACME = DEMO_ACCOUNTS.acme.uuid;
export const BAYSIDE = DEMO_ACCOUNTS.bayside.uuid;
export const ACME_NUMBERS = demoNumbers('201');
export const BAYSIDE_NUMBERS = demoNumbers('415');

export const USERS = {
  alice: ['alice@example.com', 'alice-pass-1'],
  bob: ['bob@example.com', 'bob-pass-1'],
  dave: ['dave@example.com', 'dave-pass-1'],
} as const;

export interface Reply<T = unknown> {
  status: number;
  headers: Record<string, unknown>;
  body: {
    success: boolean;
    payload: T;
    code?: string;
    message?: string;
    fields?: Record<string, { message: string }>;
  };
}

export interface StoredEventLike {
  seq: number;
  type: string;
  ref_id: string;
  message: string;
  payload: Record<string, unknown>;
}

let schemaCounter = 0;

export class Harness {
  readonly tokens = new Map<string, string>();

  readonly server: RunningServer;
  readonly clock: ManualClock;

  constructor(server: RunningServer, clock: ManualClock) {
    this.server = server;
    this.clock = clock;
  }

  static async start(options: Record<string, unknown> = {}): Promise<Harness> {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 15, 0, 0));
    const url = process.env.TEST_DATABASE_URL;
    const pg =
      url === undefined || url === ''
        ? {}
        : { databaseUrl: url, databaseSchema: `tel_${process.pid}_${Date.now() % 1e6}_${schemaCounter++}` };
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      seed: true,
      clock,
      logLevel: 'silent',
      unsafeTestArgon2: { memoryKiB: 1024, passes: 1, parallelism: 1 },
      rateLimit: { perPrincipalPerMinute: 0 },
      ...pg,
      ...options,
    });
    return new Harness(server, clock);
  }

  get telephony(): Telephony {
    const t = this.server.ctx.services.telephony;
    if (t === undefined) throw new Error('no telephony service');
    return t;
  }

  async close(): Promise<void> {
    await this.server.close();
    const { databaseUrl, databaseSchema } = this.server.config;
    if (databaseUrl !== undefined && databaseSchema !== undefined) {
      // Each test server had a schema of its own on PostgreSQL: leave nothing behind.
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${databaseSchema}" cascade`);
      } finally {
        await client.end();
      }
    }
  }

  /** A session token for a demo user, bound to `account`. */
  async token(user: keyof typeof USERS, account?: string): Promise<string> {
    const key = `${user}:${account ?? ''}`;
    const cached = this.tokens.get(key);
    if (cached !== undefined) return cached;
    const [username, password] = USERS[user];
    const res = await this.server.app.inject({
      method: 'POST',
      url: '/rest/auth/login',
      payload: { username, password, ...(account === undefined ? {} : { account_id: account }) },
    });
    if (res.statusCode !== 200) throw new Error(`login ${user} failed: ${res.statusCode} ${res.body}`);
    const token = (res.json() as { payload: { token: string } }).payload.token;
    this.tokens.set(key, token);
    return token;
  }

  /** Sends a request as a demo user (bound to `account`). */
  async as<T = unknown>(
    user: keyof typeof USERS,
    account: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const token = await this.token(user, account);
    const res = await this.server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return {
      status: res.statusCode,
      headers: res.headers,
      body: res.body === '' ? ({} as Reply<T>['body']) : (res.json() as Reply<T>['body']),
    };
  }

  /** Moves simulated time forward, finishing every step on the way. */
  advance(ms: number): Promise<void> {
    return this.telephony.sim.advance(ms);
  }

  /** Runs the simulation until nothing is waiting. */
  settle(): Promise<void> {
    return this.telephony.sim.runAll();
  }

  /** Every stored event of an account, by seq. */
  async events(accountId: string, afterSeq = 0): Promise<StoredEventLike[]> {
    const db = this.server.ctx.db as unknown as Kysely<{
      event: { account_id: string; seq: number; json: string };
    }>;
    const rows = await db
      .selectFrom('event')
      .select(['seq', 'json'])
      .where('account_id', '=', accountId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .execute();
    return rows.map((r) => JSON.parse(r.json) as StoredEventLike);
  }

  async lastSeq(accountId: string): Promise<number> {
    const all = await this.events(accountId);
    return all.length === 0 ? 0 : (all[all.length - 1] as StoredEventLike).seq;
  }

  /** Events of one resource, as `type` list. */
  async typesFor(accountId: string, refId: string, afterSeq = 0): Promise<string[]> {
    return (await this.events(accountId, afterSeq)).filter((e) => e.ref_id === refId).map((e) => e.type);
  }

  async balanceMicros(accountId: string): Promise<number> {
    const db = this.server.ctx.db as unknown as Kysely<{ account: { uuid: string; balance_micros: number } }>;
    const row = await db
      .selectFrom('account')
      .select('balance_micros')
      .where('uuid', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.balance_micros);
  }

  async setBalanceMicros(accountId: string, micros: number): Promise<void> {
    const db = this.server.ctx.db as unknown as Kysely<{ account: { uuid: string; balance_micros: number } }>;
    await db.updateTable('account').set({ balance_micros: micros }).where('uuid', '=', accountId).execute();
  }
}
