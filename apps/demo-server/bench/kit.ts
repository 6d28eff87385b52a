// What the load benches share: autocannon, medians and spreads, a bare Fastify POST route as the
// baseline, and fresh seeded servers (SQLite in memory, or PostgreSQL in a schema dropped after use)
// whose demo account can pay for any load.
import { randomBytes, randomUUID } from 'node:crypto';
import { formatRatio } from './report.ts';

export interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/** A started server as the benches see it. */
export interface BenchServer {
  url: string;
  ctx: { db: unknown; services: Record<string, unknown> };
  close(): Promise<void>;
}
export type StartBenchServer = (options: Record<string, unknown>) => Promise<BenchServer>;
export type BenchDb = 'sqlite' | 'postgres';

/** The demo account the benches send from. */
export const ACME = '0a11ce00-0000-4000-8000-00000000ac01';
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
export const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;

/** One autocannon run of BENCH_SECONDS against `url`; `init` adds or overrides its options. */
export async function autocannon(url: string, init: Record<string, unknown>): Promise<AutocannonResult> {
  // autocannon ships no types; the module name in a variable keeps tsc from asking for them.
  const moduleName = 'autocannon';
  const { default: run } = (await import(moduleName)) as {
    default: (opts: Record<string, unknown>) => Promise<AutocannonResult>;
  };
  return run({ url, duration: SECONDS, ...init });
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/** "median of 5, min 1,183, max 1,450": how the rounds of one figure spread. */
export function spread(xs: readonly number[]): string {
  const f = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
  return `median of ${xs.length}, min ${f(Math.min(...xs))}, max ${f(Math.max(...xs))}`;
}

/** Ratios against a baseline, one per round: "median of 6 rounds, min 0.87x, max 0.95x". */
export function ratioSpread(ratios: readonly number[]): string {
  const f = formatRatio;
  return `median of ${ratios.length} rounds, min ${f(Math.min(...ratios))}, max ${f(Math.max(...ratios))}`;
}

/** A bare Fastify POST /rest/sms route, the baseline of the send figures; `round()` is one autocannon run. */
export async function bareSendRoute(
  connections: number,
): Promise<{ url: string; round(): Promise<AutocannonResult>; close(): Promise<void> }> {
  const { default: Fastify } = await import('fastify');
  const bare = Fastify();
  bare.post('/rest/sms', async () => ({ success: true, payload: { uuid: 'x', state: 'created' } }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/rest/sms`;
  return {
    url,
    round: () =>
      autocannon(url, {
        connections,
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    close: () => bare.close(),
  };
}

/** ROUNDS runs against the bare route of {@link bareSendRoute}, one after the other. */
export async function bareSendRounds(connections: number): Promise<AutocannonResult[]> {
  const bare = await bareSendRoute(connections);
  const rounds: AutocannonResult[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) rounds.push(await bare.round());
  } finally {
    await bare.close();
  }
  return rounds;
}

/** A schema of its own on PostgreSQL (dropped by {@link dropSchema}); none on SQLite. */
export function freshSchema(db: BenchDb): string | undefined {
  return db === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined;
}

export async function dropSchema(schema: string | undefined): Promise<void> {
  if (schema === undefined) return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}

/** Server options for a bench: seeded, silent, no rate limit, on `db` (`extra` adds or overrides). */
export function benchServerOptions(
  db: BenchDb,
  schema: string | undefined,
  extra: Record<string, unknown> = {},
) {
  return {
    port: 0,
    seed: true,
    logLevel: 'silent',
    rateLimit: { perPrincipalPerMinute: 0 },
    ...(db === 'sqlite'
      ? { memory: true }
      : { databaseUrl: DATABASE_URL, databaseSchema: schema, memory: false }),
    ...extra,
  };
}

/** Gives the demo account a balance no bench can spend. */
export async function fundAcme(server: BenchServer): Promise<void> {
  const db = server.ctx.db as {
    updateTable(t: string): { set(v: unknown): { where(...a: unknown[]): { execute(): Promise<unknown> } } };
  };
  await db.updateTable('account').set({ balance_micros: 1e13 }).where('uuid', '=', ACME).execute();
}

/** A fresh funded server on `db`, closed (and its schema dropped) after `use`. */
export async function withBenchServer<T>(
  start: StartBenchServer,
  db: BenchDb,
  use: (server: BenchServer) => Promise<T>,
  extra: Record<string, unknown> = {},
): Promise<T> {
  const schema = freshSchema(db);
  const server = await start(benchServerOptions(db, schema, extra));
  try {
    await fundAcme(server);
    return await use(server);
  } finally {
    await server.close();
    await dropSchema(schema);
  }
}

/** A session token of the demo user who owns the demo account. */
export async function aliceToken(server: BenchServer): Promise<string> {
  const res = await fetch(`${server.url}/rest/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
  });
  return ((await res.json()) as { payload: { token: string } }).payload.token;
}

/** The servers a bench compares: this checkout's, and BENCH_BASE_SERVER's ("before") when set. */
export async function benchServers(): Promise<{ startServer: StartBenchServer; before?: StartBenchServer }> {
  const { startServer } = (await import('../src/server.ts')) as unknown as { startServer: StartBenchServer };
  const base = process.env.BENCH_BASE_SERVER;
  if (base === undefined) return { startServer };
  return { startServer, before: ((await import(base)) as { startServer: StartBenchServer }).startServer };
}

/** A demo number of the demo account, SMS-enabled: what the send benches send from. */
export async function demoSender(): Promise<string> {
  return (await import('../src/telephony/seed.ts')).demoNumbers('201')[0] as string;
}

/**
 * `POST /rest/sms` for BENCH_SECONDS, `connections` at a time, on a fresh funded server; any refusal
 * fails the round. `extra` adds server options; `afterLoad` looks at the server once the load stopped,
 * before it closes.
 */
export async function sendRound(
  start: StartBenchServer,
  db: BenchDb,
  from: string,
  connections: number,
  extra: Record<string, unknown> = {},
  afterLoad: (server: BenchServer) => Promise<void> = async () => {},
): Promise<AutocannonResult> {
  return withBenchServer(
    start,
    db,
    async (server) => {
      const result = await autocannon(`${server.url}/rest/sms`, {
        connections,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await aliceToken(server)}` },
        body: JSON.stringify({ from, to: '+12125550123', message: 'Your appointment is at 10:30' }),
      });
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${result.non2xx} sends refused, ${result.errors} errors`);
      await afterLoad(server);
      return result;
    },
    extra,
  );
}

/** What the event benches emit: the `i`th progress update of a batch of `total` calls (no account). */
export function batchUpdate(i: number, total: number) {
  const uuid = randomUUID();
  const now = new Date().toISOString();
  return {
    type: 'batch.updated',
    refId: uuid,
    message: `r${i}`,
    payload: { uuid, state: 'processing', total, completed: i, failed: 0, created_on: now, modified_on: now },
  };
}
