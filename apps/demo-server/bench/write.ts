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

import { randomUUID } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import {
  ACME,
  type AutocannonResult,
  aliceToken,
  autocannon,
  type BenchDb,
  type BenchServer,
  bareSendRounds,
  DATABASE_URL,
  median,
  ROUNDS,
  type StartBenchServer,
  spread,
  withBenchServer,
} from './kit.ts';
import type { BenchRow } from './report.ts';

type Report = (row: BenchRow) => void;

interface EventsService {
  emit(event: Record<string, unknown>): Promise<unknown>;
}

const CLIENTS = 100;
const EVENTS = 5000;

let FROM = '';

async function smsRound(start: StartBenchServer, db: BenchDb): Promise<AutocannonResult> {
  return withBenchServer(start, db, async (server) => {
    const result = await autocannon(`${server.url}/rest/sms`, {
      connections: CLIENTS,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await aliceToken(server)}` },
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

async function recordRound(start: StartBenchServer, db: BenchDb): Promise<number> {
  return withBenchServer(start, db, (server) =>
    emitConcurrently(server.ctx.services.events as EventsService),
  );
}

async function subscribed(server: BenchServer): Promise<WebSocket> {
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
  ws.send(JSON.stringify({ type: 'auth', token: await aliceToken(server) }));
  await authed;
  const subscribedReply = reply('subscribed');
  ws.send(JSON.stringify({ type: 'subscribe', id: 's', types: ['*'] }));
  await subscribedReply;
  return ws;
}

/** Emit → client: events/s until the subscribed socket received every one; also returns a sample frame. */
async function wsRound(start: StartBenchServer, db: BenchDb): Promise<{ rate: number; frame: string }> {
  return withBenchServer(start, db, async (server) => {
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
  FROM = (await import('../src/telephony/seed.ts')).demoNumbers('201')[0] as string;
  const { startServer } = (await import('../src/server.ts')) as unknown as { startServer: StartBenchServer };
  const base = process.env.BENCH_BASE_SERVER;
  const before =
    base === undefined ? undefined : ((await import(base)) as { startServer: StartBenchServer }).startServer;
  const servers: [string, StartBenchServer][] =
    before === undefined
      ? [['', startServer]]
      : [
          [', before', before],
          ['', startServer],
        ];
  const dbs: BenchDb[] = DATABASE_URL === undefined ? ['sqlite'] : ['sqlite', 'postgres'];

  const bareRounds = await bareSendRounds(CLIENTS);
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
