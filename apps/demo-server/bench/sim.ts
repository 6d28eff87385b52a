// The durable simulated network: steps run per second (SQLite; PostgreSQL with one and with two
// instances sharing the database), the latency from a step's due time to its run (p50/p99), and
// `POST /rest/sms` requests/s, each over several rounds (median and min–max). The baseline is a bare
// Fastify POST route measured in the same run. PostgreSQL rows need BENCH_DATABASE_URL.
// BENCH_BASE_SERVER=<other checkout>/apps/demo-server/src/server.ts also measures that server's
// `POST /rest/sms` in alternating rounds (before/after a change, in the same conditions).
// Run on its own (`node --conditions=source bench/sim.ts`) or as the `sim` section of bench/run.ts.
import './ts-hooks.ts';

import { randomBytes } from 'node:crypto';

interface Row {
  name: string;
  value: number;
  unit: string;
  ratio?: number;
  note?: string;
}
type Report = (row: Row) => void;

interface AutocannonResult {
  requests: { average: number };
  non2xx: number;
}

interface Running {
  url: string;
  ctx: { db: unknown; services: Record<string, unknown> };
  close(): Promise<void>;
}
type Start = (options: Record<string, unknown>) => Promise<Running>;

interface SimParts {
  worker: { stop(): Promise<void>; start(): void };
  sms: { send(accountId: string, input: Record<string, string>): Promise<unknown> };
}

const ACME = '0a11ce00-0000-4000-8000-00000000ac01';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;
/** BENCH_SIM=sms or BENCH_SIM=steps runs one part; BENCH_SIM_DB=postgres one database. */
const PART = process.env.BENCH_SIM ?? 'all';
const ONLY_DB = process.env.BENCH_SIM_DB;

async function load(url: string, init: Record<string, unknown>): Promise<AutocannonResult> {
  // autocannon ships no types; the module name in a variable keeps tsc from asking for them.
  const moduleName = 'autocannon';
  const { default: autocannon } = (await import(moduleName)) as {
    default: (opts: Record<string, unknown>) => Promise<AutocannonResult>;
  };
  return autocannon({ url, connections: 10, duration: SECONDS, ...init });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function spread(xs: readonly number[]): string {
  const f = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
  return `median of ${xs.length}, min ${f(Math.min(...xs))}, max ${f(Math.max(...xs))}`;
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function dropSchema(schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}

function options(db: 'sqlite' | 'postgres', schema: string | undefined, extra: Record<string, unknown> = {}) {
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

async function fund(server: Running): Promise<void> {
  const db = server.ctx.db as {
    updateTable(t: string): { set(v: unknown): { where(...a: unknown[]): { execute(): Promise<unknown> } } };
  };
  await db.updateTable('account').set({ balance_micros: 1e13 }).where('uuid', '=', ACME).execute();
}

/** `POST /rest/sms` requests/s on one server (a fresh one per round). */
async function smsRound(start: Start, db: 'sqlite' | 'postgres'): Promise<number> {
  const schema = db === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  const server = await start(options(db, schema));
  try {
    await fund(server);
    const login = await fetch(`${server.url}/rest/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
    });
    const token = ((await login.json()) as { payload: { token: string } }).payload.token;
    const result = await load(`${server.url}/rest/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ from: FROM, to: '+12125550123', message: 'Your appointment is at 10:30' }),
    });
    if (result.non2xx > 0) throw new Error(`${result.non2xx} sends failed`);
    return result.requests.average;
  } finally {
    await server.close();
    if (schema !== undefined) await dropSchema(schema);
  }
}

/**
 * Steps run per second: `messages` SMS are accepted while the workers are stopped (three steps
 * each, all due at once at this sim speed), then the workers start and drain them.
 */
async function stepsRound(
  start: Start,
  db: 'sqlite' | 'postgres',
  instances: number,
  messages: number,
): Promise<{ perSecond: number }> {
  const schema = db === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  let ran = 0;
  const servers: Running[] = [];
  for (let i = 0; i < instances; i++) {
    servers.push(
      await start(options(db, schema, { seed: i === 0, simSpeed: 1000, sim: { onRan: () => ran++ } })),
    );
  }
  try {
    await fund(servers[0] as Running);
    const parts = servers.map((s) => s.ctx.services.telephony as SimParts);
    for (const p of parts) await p.worker.stop();
    const first = parts[0] as SimParts;
    for (let i = 0; i < messages; i += 50) {
      const batch = Array.from({ length: Math.min(50, messages - i) }, () =>
        first.sms.send(ACME, { from: FROM, to: '+12125550123', message: 'hi' }),
      );
      await Promise.all(batch);
    }
    ran = 0;
    const started = performance.now();
    for (const p of parts) p.worker.start();
    while (ran < messages * 3) await new Promise((r) => setTimeout(r, 2));
    return { perSecond: (ran / (performance.now() - started)) * 1000 };
  } finally {
    for (const s of servers) await s.close();
    if (schema !== undefined) await dropSchema(schema);
  }
}

/**
 * Due-to-run latency: SMS sent at a steady pace, each step's lateness recorded as it runs. With
 * `remoteOnly` the sending instance's worker is stopped, so every step is picked up by the other
 * instance through the database's notification.
 */
async function latencyRound(
  start: Start,
  db: 'sqlite' | 'postgres',
  instances: number,
  remoteOnly = false,
): Promise<number[]> {
  const schema = db === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  const late: number[] = [];
  const servers: Running[] = [];
  for (let i = 0; i < instances; i++) {
    servers.push(
      await start(
        options(db, schema, { seed: i === 0, simSpeed: 10, sim: { onRan: (ms: number) => late.push(ms) } }),
      ),
    );
  }
  try {
    await fund(servers[0] as Running);
    const first = servers[0]?.ctx.services.telephony as SimParts;
    if (remoteOnly) await first.worker.stop();
    for (let i = 0; i < 100; i++) {
      await first.sms.send(ACME, { from: FROM, to: '+12125550123', message: 'hi' });
      await new Promise((r) => setTimeout(r, 5));
    }
    while (late.length < 300) await new Promise((r) => setTimeout(r, 10));
    return late;
  } finally {
    for (const s of servers) await s.close();
    if (schema !== undefined) await dropSchema(schema);
  }
}

let FROM = '';

export async function run(report: Report): Promise<void> {
  const { default: Fastify } = await import('fastify');
  FROM = (await import('../src/telephony/seed.ts')).demoNumbers('201')[0] as string;
  const { startServer } = (await import('../src/server.ts')) as unknown as { startServer: Start };
  const base = process.env.BENCH_BASE_SERVER;
  const before =
    base === undefined ? undefined : ((await import(base)) as { startServer: Start }).startServer;

  const bare = Fastify();
  bare.post('/rest/sms', async () => ({ success: true, payload: { uuid: 'x', state: 'created' } }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/rest/sms`;
  const baselines: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    baselines.push(
      (await load(bareUrl, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }))
        .requests.average,
    );
  }
  await bare.close();
  const baseline = median(baselines);
  report({
    name: 'baseline: bare Fastify POST route',
    value: baseline,
    unit: 'req/s',
    note: spread(baselines),
  });

  const dbs = (DATABASE_URL === undefined ? ['sqlite'] : ['sqlite', 'postgres']).filter(
    (d) => ONLY_DB === undefined || d === ONLY_DB,
  ) as ('sqlite' | 'postgres')[];
  for (const db of PART === 'steps' ? [] : dbs) {
    const after: number[] = [];
    const earlier: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      if (before !== undefined) earlier.push(await smsRound(before, db));
      after.push(await smsRound(startServer, db));
    }
    if (before !== undefined) {
      const m = median(earlier);
      report({
        name: `POST /rest/sms, ${db}, before`,
        value: m,
        unit: 'req/s',
        ratio: m / baseline,
        note: spread(earlier),
      });
    }
    const m = median(after);
    const vsBefore = before === undefined ? '' : `, ${(m / median(earlier)).toFixed(2)}x before`;
    report({
      name: `POST /rest/sms, ${db}`,
      value: m,
      unit: 'req/s',
      ratio: m / baseline,
      note: `${spread(after)}${vsBefore}`,
    });
  }

  const runs: [string, 'sqlite' | 'postgres', number, boolean][] = [['sqlite', 'sqlite', 1, false]];
  if (DATABASE_URL !== undefined) {
    runs.push(
      ['postgres, 1 instance', 'postgres', 1, false],
      ['postgres, 2 instances', 'postgres', 2, false],
      ['postgres, planned on the other instance', 'postgres', 2, true],
    );
  }
  for (const [label, db, instances, remoteOnly] of PART === 'sms' ? [] : runs) {
    if (!remoteOnly) {
      const rates: number[] = [];
      for (let i = 0; i < ROUNDS; i++)
        rates.push((await stepsRound(startServer, db, instances, 1000)).perSecond);
      report({ name: `steps run, ${label}`, value: median(rates), unit: 'steps/s', note: spread(rates) });
    }
    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round = await latencyRound(startServer, db, instances, remoteOnly);
      p50s.push(percentile(round, 50));
      p99s.push(percentile(round, 99));
    }
    report({ name: `due-to-run latency p50, ${label}`, value: median(p50s), unit: 'ms', note: spread(p50s) });
    report({ name: `due-to-run latency p99, ${label}`, value: median(p99s), unit: 'ms', note: spread(p99s) });
  }
}

if (import.meta.main) {
  const { printRow } = await import('./report.ts');
  await run(printRow);
}
