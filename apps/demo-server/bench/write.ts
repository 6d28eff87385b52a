// The write path under concurrency, each figure against a baseline measured in the same run:
// - `POST /rest/sms` at 100 concurrent clients: requests/s as a ratio of a bare Fastify POST route,
//   and p50/p99 latency. The bare route is measured in the same iterations as the sends: each
//   iteration runs a bare round and each server's send round, bare first in one iteration and last in
//   the next, and gives one ratio per server; the figure is the median of those ratios with their
//   min–max. Running all bare rounds first and all send rounds after put any change of the machine's
//   load between the two phases fully into the ratio (a bare phase slowed by other work read as
//   0.25x, a quiet one as 0.20x, for the same server);
// - events recorded/s with one event per transaction, 100 transactions at a time;
// - emit → websocket client with one event per transaction, 100 at a time, against raw `ws`
//   sending the same frames;
// - `POST /rest/sms` from one client at a time, its latency against the bare route's (lone-send.ts).
// Every round runs for BENCH_SECONDS: the emit rounds emit until then (and count until the last
// event is recorded or received). A raw `ws` round sends as many frames as the emit rounds of its
// iteration delivered, so both sides of the ratio measure rounds of the same size; raw rounds used to
// send a fixed 5,000 frames, done in ~10 ms, and their spread was wider than the effect measured.
// For the same reason a raw round sends at least RAW_MIN_FRAMES: PostgreSQL's emit rounds deliver a
// few thousand events, which raw `ws` sends in milliseconds. Such ratios are far below 0.01x and are
// printed with two significant digits rather than as 0.00x.
// Both senders are flow-controlled the same way, as any sender must be: the raw sender pauses while
// its socket has more than 4 MiB queued, the emitters while the subscriber is more than 10,000
// events (~3 MiB of frames) behind; the server would otherwise close the subscriber as too slow (its
// client reads in this same process). Neither waits otherwise.
// The events emitted are built before any round starts, like the raw side's frame: a pool of
// EVENT_POOL `batch.updated` inputs, each with its own batch id, time and count, used in turn. Making
// each one inside the timed loop (a random UUID and an ISO time per event) is the bench's own work,
// not the server's, and cost about a tenth of the record round's CPU, which the raw side never pays.
// Nothing downstream can reuse work across a repeat: every emit is serialized, stored and sent anew
// with its own server-made id, seq and time. BENCH_EVENTS=inline builds each event in the loop as
// the bench did before, to compare.
// BENCH_BASE_SERVER=<other checkout>/apps/demo-server/src/server.ts measures that server too, in
// alternating rounds ("before"). BENCH_DATABASE_URL adds PostgreSQL rows. BENCH_ROUNDS (default 3)
// rounds of BENCH_SECONDS (default 3) each; medians with min–max.
// Run on its own (`node --conditions=source bench/write.ts`) or as the `write` section of bench/run.ts.
import './ts-hooks.ts';

import type { Kysely } from 'kysely';
import WebSocket, { WebSocketServer } from 'ws';
import {
  ACME,
  type AutocannonResult,
  aliceToken,
  type BenchDb,
  type BenchServer,
  bareSendRoute,
  batchUpdate,
  benchServers,
  DATABASE_URL,
  demoSender,
  median,
  percentile,
  ROUNDS,
  ratioSpread,
  SECONDS,
  type StartBenchServer,
  sendRound,
  spread,
  withBenchServer,
} from './kit.ts';
import { loneSendRows } from './lone-send.ts';
import type { Report } from './report.ts';

interface EventsService {
  emit(event: Record<string, unknown>): Promise<unknown>;
}

const CLIENTS = 100;
/** What the bench's `batch.updated` payloads claim as their batch's size. */
const BATCH_TOTAL = 5000;
/** The raw sender waits for its client once this much is queued on its socket. */
const RAW_HIGH_WATER = 4 * 1024 * 1024;
/** The fewest frames of a raw round (~0.3 s at raw `ws` speed on the reference machine). */
const RAW_MIN_FRAMES = 100_000;
/** Frames the raw sender sends between checks of its queue. */
const RAW_CHUNK = 1000;
/** The emitters pause while the subscriber has this many events still to receive. */
const MAX_BEHIND = 10_000;

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Distinct events built before timing; far more than one commit group, so no group repeats one. */
const EVENT_POOL = 65_536;
const INLINE_EVENTS = process.env.BENCH_EVENTS === 'inline';

function buildEvent(i: number) {
  return { accountId: ACME, ...batchUpdate(i, BATCH_TOTAL) };
}

/** Filled by {@link run}, before the first round (not on import: bench/run.ts imports every section). */
const pool: ReturnType<typeof buildEvent>[] = [];
/** How the figures' names say which events were emitted. */
const BUILT = INLINE_EVENTS ? ', events built in the loop' : '';

function event(i: number) {
  return INLINE_EVENTS ? buildEvent(i) : (pool[i % EVENT_POOL] as ReturnType<typeof buildEvent>);
}

/**
 * Emits for BENCH_SECONDS, each event its own transaction, `CLIENTS` at a time, pausing while
 * `received()` (by default all of them) is more than MAX_BEHIND behind; then waits for
 * `done(count)` (by default nothing) and resolves with the count and events/s over the whole time.
 */
async function emitConcurrently(
  events: EventsService,
  received: (() => number) | undefined = undefined,
  done: (count: number) => Promise<void> = async () => {},
): Promise<{ count: number; rate: number }> {
  let next = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        while (received !== undefined && next - received() > MAX_BEHIND && performance.now() < until)
          await turn();
        await events.emit(event(next++));
      }
    }),
  );
  await done(next);
  return { count: next, rate: next / ((performance.now() - started) / 1000) };
}

async function recordRound(start: StartBenchServer, db: BenchDb): Promise<number> {
  return withBenchServer(
    start,
    db,
    async (server) => (await emitConcurrently(server.ctx.services.events as EventsService)).rate,
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

interface WsRound {
  rate: number;
  /** Events the subscriber received. */
  count: number;
  frame: string;
}

/** Emit → client: events/s until the subscribed socket received every one; also returns a sample frame. */
async function wsRound(start: StartBenchServer, db: BenchDb): Promise<WsRound> {
  return withBenchServer(start, db, async (server) => {
    const ws = await subscribed(server);
    let seen = 0;
    let wanted = Number.POSITIVE_INFINITY;
    let last: WebSocket.RawData = Buffer.alloc(0);
    let arrived: () => void = () => {};
    let closed: (error: Error) => void = () => {};
    const all = new Promise<void>((resolve, reject) => {
      arrived = resolve;
      closed = reject;
    });
    all.catch(() => {}); // handled where awaited; a close before then must not crash the bench
    ws.on('close', (code) => closed(new Error(`subscriber closed (${code}) after ${seen} events`)));
    ws.on('message', (data) => {
      // Kept, not decoded: the raw client does no per-frame work either.
      last = data;
      if (++seen === wanted) arrived();
    });
    const { rate, count } = await emitConcurrently(
      server.ctx.services.events as EventsService,
      () => seen,
      (n) => {
        wanted = n;
        if (seen === n) arrived();
        return all;
      },
    );
    ws.close();
    return { rate, count, frame: last.toString() };
  });
}

/** Raw `ws`: `frames` copies of `frame` to one client on loopback, as fast as it takes them. */
async function rawWs(frame: string, frames: number): Promise<number> {
  const raw = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => raw.once('listening', r));
  try {
    return await new Promise<number>((resolve) => {
      raw.once('connection', (socket) => {
        socket.once('message', async () => {
          const started = performance.now();
          socket.once('message', () => resolve(frames / ((performance.now() - started) / 1000)));
          for (let sent = 0; sent < frames; ) {
            // Without this wait a long round would queue hundreds of megabytes before the client
            // read any; with it the client reads while the sender sends.
            while (socket.bufferedAmount > RAW_HIGH_WATER) await new Promise(setImmediate);
            const end = Math.min(frames, sent + RAW_CHUNK);
            for (; sent < end; sent++) socket.send(frame);
          }
        });
      });
      const client = new WebSocket(`ws://127.0.0.1:${(raw.address() as { port: number }).port}`);
      let seen = 0;
      client.on('open', () => client.send('go'));
      client.on('message', () => {
        if (++seen === frames) {
          client.send('done');
          client.close();
        }
      });
    });
  } finally {
    raw.close();
  }
}

/**
 * The `POST /rest/sms` rows of one database: ROUNDS iterations, each a bare round and every
 * server's send round (bare first in even iterations, last in odd ones), one ratio per server and
 * iteration; each server's figure is its median rate with the median of its ratios.
 */
async function sendRows(
  report: Report,
  db: BenchDb,
  servers: [string, StartBenchServer][],
  from: string,
  bareRound: () => Promise<AutocannonResult>,
): Promise<void> {
  const bareRounds: AutocannonResult[] = [];
  const results = new Map<string, AutocannonResult[]>(servers.map(([label]) => [label, []]));
  const ratios = new Map<string, number[]>(servers.map(([label]) => [label, []]));
  const lifecycles = new Map<string, LifecycleRound[]>(servers.map(([label]) => [label, []]));
  for (let i = 0; i < ROUNDS; i++) {
    const sends = new Map<string, AutocannonResult>();
    const sendAll = async () => {
      for (const [label, start] of i % 2 === 0 ? servers : [...servers].reverse()) {
        const lifecycle = lifecycleWatch();
        sends.set(label, await sendRound(start, db, from, CLIENTS, lifecycle.options, lifecycle.afterLoad));
        lifecycles.get(label)?.push(lifecycle.round());
      }
    };
    let bareResult: AutocannonResult;
    if (i % 2 === 0) {
      bareResult = await bareRound();
      await sendAll();
    } else {
      await sendAll();
      bareResult = await bareRound();
    }
    bareRounds.push(bareResult);
    for (const [label, result] of sends) {
      results.get(label)?.push(result);
      ratios.get(label)?.push(result.requests.average / bareResult.requests.average);
    }
  }
  const bareRate = bareRounds.map((r) => r.requests.average);
  report({
    name: `bare Fastify POST route, ${CLIENTS} clients, ${db} run`,
    value: median(bareRate),
    unit: 'req/s',
    note: spread(bareRate),
  });
  report({
    name: '  p50 / p99',
    value: median(bareRounds.map((r) => r.latency.p50)),
    unit: 'ms',
    note: `p99 ${median(bareRounds.map((r) => r.latency.p99))} ms`,
  });
  for (const [label] of servers) {
    const rounds = results.get(label) as AutocannonResult[];
    const rate = rounds.map((r) => r.requests.average);
    const r = ratios.get(label) as number[];
    report({
      name: `POST /rest/sms, ${db}, ${CLIENTS} clients${label}`,
      value: median(rate),
      unit: 'req/s',
      ratio: median(r),
      note: `${spread(rate)}; ratios ${ratioSpread(r)}`,
    });
    const p50 = rounds.map((x) => x.latency.p50);
    const p99 = rounds.map((x) => x.latency.p99);
    report({ name: `  latency p50${label}`, value: median(p50), unit: 'ms', note: spread(p50) });
    report({ name: `  latency p99${label}`, value: median(p99), unit: 'ms', note: spread(p99) });
    const life = lifecycles.get(label) as LifecycleRound[];
    for (const [name, pick] of [
      ['lifecycle steps run during the load', (x: LifecycleRound) => x.ran],
      ['  steps late p50', (x: LifecycleRound) => x.lateP50],
      ['  steps late p99', (x: LifecycleRound) => x.lateP99],
      ['  steps overdue when the load stopped', (x: LifecycleRound) => x.overdue],
    ] as const) {
      const xs = life.map(pick);
      const unit = name.includes('late') ? 'ms' : 'steps';
      report({ name: `${name}${label}`, value: median(xs), unit, note: spread(xs) });
    }
  }
}

/** How the message lifecycles kept up in one send round. */
interface LifecycleRound {
  /** Steps that ran while the clients were sending. */
  ran: number;
  /** How late they ran (ms after their due time). */
  lateP50: number;
  lateP99: number;
  /** Steps already due, not yet run, when the clients stopped: the backlog the lifecycle left. */
  overdue: number;
}

/**
 * Watches a send round's lifecycle steps: each sent message plans three (100 ms, 1 s and 3 s after
 * the send), which the server's step worker runs while the clients keep sending.
 */
function lifecycleWatch() {
  const late: number[] = [];
  let during: number[] = [];
  let overdue = 0;
  return {
    options: { sim: { onRan: (ms: number) => late.push(ms) } },
    afterLoad: async (server: BenchServer) => {
      during = [...late];
      const db = server.ctx.db as Kysely<{ sim_step: { due_on: string } }>;
      const row = await db
        .selectFrom('sim_step')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('due_on', '<=', new Date().toISOString())
        .executeTakeFirstOrThrow();
      overdue = Number(row.n);
    },
    round: (): LifecycleRound => ({
      ran: during.length,
      lateP50: percentile(during, 50),
      lateP99: percentile(during, 99),
      overdue,
    }),
  };
}

export async function run(report: Report): Promise<void> {
  const from = await demoSender();
  if (!INLINE_EVENTS && pool.length === 0) for (let i = 0; i < EVENT_POOL; i++) pool.push(buildEvent(i));
  const { startServer, before } = await benchServers();
  const servers: [string, StartBenchServer][] =
    before === undefined
      ? [['', startServer]]
      : [
          [', before', before],
          ['', startServer],
        ];
  const dbs: BenchDb[] = DATABASE_URL === undefined ? ['sqlite'] : ['sqlite', 'postgres'];

  const bare = await bareSendRoute(CLIENTS);
  try {
    for (const db of dbs) await sendRows(report, db, servers, from, () => bare.round());
    for (const db of dbs) await loneSendRows(report, db, servers, from, bare.url);
  } finally {
    await bare.close();
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
        name: `events recorded, 1 per transaction, ${CLIENTS} at a time, ${db}${label}${BUILT}`,
        value: median(r),
        unit: 'events/s',
        note: `${spread(r)}${vsBefore}`,
      });
    }
  }

  for (const db of dbs) {
    const rates = new Map<string, number[]>(servers.map(([label]) => [label, []]));
    const raws: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let frame = '';
      let frames = 0;
      for (const [label, start] of servers) {
        const round = await wsRound(start, db);
        rates.get(label)?.push(round.rate);
        frame = round.frame;
        frames = Math.max(frames, round.count);
      }
      counts.push(frames);
      raws.push(await rawWs(frame, Math.max(frames, RAW_MIN_FRAMES)));
    }
    const rawRate = median(raws);
    report({
      name: `raw ws, same frames to one client, ${db} run`,
      value: rawRate,
      unit: 'events/s',
      note: `${spread(raws)}; frames per emit round ${spread(counts)}, per raw round at least ${RAW_MIN_FRAMES.toLocaleString('en-US')}`,
    });
    for (const [label] of servers) {
      const r = rates.get(label) as number[];
      report({
        name: `emit → client, 1 per transaction, ${CLIENTS} at a time, ${db}${label}${BUILT}`,
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
