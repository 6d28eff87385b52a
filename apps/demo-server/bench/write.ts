// The write path under concurrency, each figure against a baseline measured in the same run:
// - `POST /rest/sms` at 100 concurrent clients: requests/s as a ratio of a bare Fastify POST route,
//   and p50/p99 latency;
// - events recorded/s with one event per transaction, 100 transactions at a time;
// - emit → websocket client with one event per transaction, 100 at a time, against raw `ws`
//   sending the same frames.
// BENCH_BASE_SERVER=<other checkout>/apps/demo-server/src/server.ts measures that server too, in
// alternating rounds ("before"). BENCH_DATABASE_URL adds PostgreSQL rows. BENCH_ROUNDS (default 3)
// rounds of BENCH_SECONDS (default 3) each; medians with min–max.
// Run on its own (`node --conditions=source bench/write.ts`) or as the `write` section of bench/run.ts.
import './ts-hooks.ts';

import { randomBytes, randomUUID } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import type { BenchRow } from './report.ts';

type Report = (row: BenchRow) => void;

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

interface EventsService {
  emit(event: Record<string, unknown>): Promise<unknown>;
}
interface Running {
  url: string;
  ctx: { db: unknown; services: { events?: EventsService } };
  close(): Promise<void>;
}
type Start = (options: Record<string, unknown>) => Promise<Running>;
type Db = 'sqlite' | 'postgres';

const ACME = '0a11ce00-0000-4000-8000-00000000ac01';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CLIENTS = 100;
const EVENTS = 5000;
const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;

async function load(url: string, init: Record<string, unknown>): Promise<AutocannonResult> {
  // autocannon ships no types; the module name in a variable keeps tsc from asking for them.
  const moduleName = 'autocannon';
  const { default: autocannon } = (await import(moduleName)) as {
    default: (opts: Record<string, unknown>) => Promise<AutocannonResult>;
  };
  return autocannon({ url, connections: CLIENTS, duration: SECONDS, ...init });
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

async function dropSchema(schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}

/** A fresh seeded server on `db` with a funded demo account, closed (and its schema dropped) after `use`. */
async function withServer<T>(start: Start, db: Db, use: (server: Running) => Promise<T>): Promise<T> {
  const schema = db === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  const server = await start({
    port: 0,
    seed: true,
    logLevel: 'silent',
    rateLimit: { perPrincipalPerMinute: 0 },
    realtime: { maxConnectionsPerUser: 100_000 },
    ...(db === 'sqlite'
      ? { memory: true }
      : { databaseUrl: DATABASE_URL, databaseSchema: schema, memory: false }),
  });
  try {
    const kysely = server.ctx.db as {
      updateTable(t: string): {
        set(v: unknown): { where(...a: unknown[]): { execute(): Promise<unknown> } };
      };
    };
    await kysely.updateTable('account').set({ balance_micros: 1e13 }).where('uuid', '=', ACME).execute();
    return await use(server);
  } finally {
    await server.close();
    if (schema !== undefined) await dropSchema(schema);
  }
}

async function token(server: Running): Promise<string> {
  const res = await fetch(`${server.url}/rest/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
  });
  return ((await res.json()) as { payload: { token: string } }).payload.token;
}

let FROM = '';

async function smsRound(start: Start, db: Db): Promise<AutocannonResult> {
  return withServer(start, db, async (server) => {
    const result = await load(`${server.url}/rest/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(server)}` },
      body: JSON.stringify({ from: FROM, to: '+12125550123', message: 'Your appointment is at 10:30' }),
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${result.non2xx} sends refused, ${result.errors} errors`);
    return result;
  });
}

function event(i: number) {
  const uuid = randomUUID();
  const now = new Date().toISOString();
  return {
    accountId: ACME,
    type: 'batch.updated',
    refId: uuid,
    message: `r${i}`,
    payload: {
      uuid,
      state: 'processing',
      total: EVENTS,
      completed: i,
      failed: 0,
      created_on: now,
      modified_on: now,
    },
  };
}

/** `EVENTS` emits, each its own transaction, `CLIENTS` at a time; resolves with events/s once `done` resolves. */
async function emitConcurrently(events: EventsService, done: () => Promise<void> = async () => {}) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < EVENTS) await events.emit(event(next++));
    }),
  );
  await done();
  return EVENTS / ((performance.now() - started) / 1000);
}

async function recordRound(start: Start, db: Db): Promise<number> {
  return withServer(start, db, (server) => emitConcurrently(server.ctx.services.events as EventsService));
}

async function subscribed(server: Running): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const reply = (type: string) =>
    new Promise<void>((resolve) => {
      const on = (data: WebSocket.RawData) => {
        if ((JSON.parse(data.toString()) as { type?: string }).type !== type) return;
        ws.off('message', on);
        resolve();
      };
      ws.on('message', on);
    });
  const authed = reply('auth');
  ws.send(JSON.stringify({ type: 'auth', token: await token(server) }));
  await authed;
  const subscribedReply = reply('subscribed');
  ws.send(JSON.stringify({ type: 'subscribe', id: 's', types: ['*'] }));
  await subscribedReply;
  return ws;
}

/** Emit → client: events/s until the subscribed socket received every one; also returns a sample frame. */
async function wsRound(start: Start, db: Db): Promise<{ rate: number; frame: string }> {
  return withServer(start, db, async (server) => {
    const ws = await subscribed(server);
    let seen = 0;
    let frame = '';
    let arrived: () => void = () => {};
    const all = new Promise<void>((resolve) => (arrived = resolve));
    ws.on('message', (data) => {
      frame = data.toString();
      if (++seen === EVENTS) arrived();
    });
    const rate = await emitConcurrently(server.ctx.services.events as EventsService, () => all);
    ws.close();
    return { rate, frame };
  });
}

/** Raw `ws`: the same frames to one client on loopback, as fast as it takes them. */
async function rawWs(frame: string): Promise<number> {
  const raw = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => raw.once('listening', r));
  try {
    return await new Promise<number>((resolve) => {
      raw.once('connection', (socket) => {
        socket.once('message', () => {
          const started = performance.now();
          for (let i = 0; i < EVENTS; i++) socket.send(frame);
          socket.once('message', () => resolve(EVENTS / ((performance.now() - started) / 1000)));
        });
      });
      const client = new WebSocket(`ws://127.0.0.1:${(raw.address() as { port: number }).port}`);
      let seen = 0;
      client.on('open', () => client.send('go'));
      client.on('message', () => {
        if (++seen === EVENTS) {
          client.send('done');
          client.close();
        }
      });
    });
  } finally {
    raw.close();
  }
}

export async function run(report: Report): Promise<void> {
  const { default: Fastify } = await import('fastify');
  FROM = (await import('../src/telephony/seed.ts')).demoNumbers('201')[0] as string;
  const { startServer } = (await import('../src/server.ts')) as unknown as { startServer: Start };
  const base = process.env.BENCH_BASE_SERVER;
  const before =
    base === undefined ? undefined : ((await import(base)) as { startServer: Start }).startServer;
  const servers: [string, Start][] =
    before === undefined
      ? [['', startServer]]
      : [
          [', before', before],
          ['', startServer],
        ];
  const dbs: Db[] = DATABASE_URL === undefined ? ['sqlite'] : ['sqlite', 'postgres'];

  const bare = Fastify();
  bare.post('/rest/sms', async () => ({ success: true, payload: { uuid: 'x', state: 'created' } }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/rest/sms`;
  const bareRounds: AutocannonResult[] = [];
  for (let i = 0; i < ROUNDS; i++)
    bareRounds.push(
      await load(bareUrl, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
    );
  await bare.close();
  const baseline = median(bareRounds.map((r) => r.requests.average));
  report({
    name: `bare Fastify POST route, ${CLIENTS} clients`,
    value: baseline,
    unit: 'req/s',
    note: spread(bareRounds.map((r) => r.requests.average)),
  });
  report({
    name: '  p50 / p99',
    value: median(bareRounds.map((r) => r.latency.p50)),
    unit: 'ms',
    note: `p99 ${median(bareRounds.map((r) => r.latency.p99))} ms`,
  });

  for (const db of dbs) {
    const results = new Map<string, AutocannonResult[]>(servers.map(([label]) => [label, []]));
    for (let i = 0; i < ROUNDS; i++)
      for (const [label, start] of servers) results.get(label)?.push(await smsRound(start, db));
    for (const [label] of servers) {
      const rounds = results.get(label) as AutocannonResult[];
      const rate = rounds.map((r) => r.requests.average);
      report({
        name: `POST /rest/sms, ${db}, ${CLIENTS} clients${label}`,
        value: median(rate),
        unit: 'req/s',
        ratio: median(rate) / baseline,
        note: spread(rate),
      });
      const p50 = rounds.map((r) => r.latency.p50);
      const p99 = rounds.map((r) => r.latency.p99);
      report({ name: `  latency p50${label}`, value: median(p50), unit: 'ms', note: spread(p50) });
      report({ name: `  latency p99${label}`, value: median(p99), unit: 'ms', note: spread(p99) });
    }
  }

  for (const db of dbs) {
    const rates = new Map<string, number[]>(servers.map(([label]) => [label, []]));
    for (let i = 0; i < ROUNDS; i++)
      for (const [label, start] of servers) rates.get(label)?.push(await recordRound(start, db));
    const first = median(rates.get(servers[0]?.[0] as string) as number[]);
    for (const [label] of servers) {
      const r = rates.get(label) as number[];
      const vsBefore =
        label === '' && before !== undefined ? `, ${(median(r) / first).toFixed(2)}x before` : '';
      report({
        name: `events recorded, 1 per transaction, ${CLIENTS} at a time, ${db}${label}`,
        value: median(r),
        unit: 'events/s',
        note: `${spread(r)}${vsBefore}`,
      });
    }
  }

  for (const db of dbs) {
    const rates = new Map<string, number[]>(servers.map(([label]) => [label, []]));
    const raws: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let frame = '';
      for (const [label, start] of servers) {
        const round = await wsRound(start, db);
        rates.get(label)?.push(round.rate);
        frame = round.frame;
      }
      raws.push(await rawWs(frame));
    }
    const rawRate = median(raws);
    report({
      name: `raw ws, same frames to one client, ${db} run`,
      value: rawRate,
      unit: 'events/s',
      note: spread(raws),
    });
    for (const [label] of servers) {
      const r = rates.get(label) as number[];
      report({
        name: `emit → client, 1 per transaction, ${CLIENTS} at a time, ${db}${label}`,
        value: median(r),
        unit: 'events/s',
        ratio: median(r) / rawRate,
        note: spread(r),
      });
    }
  }
}

if (import.meta.main) {
  const { printRow } = await import('./report.ts');
  await run(printRow);
}
