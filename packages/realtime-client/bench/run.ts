// Memory per idle connection, then events/s through @callwire/realtime-client (schema validation on,
// and off), each against raw `ws` (JSON.parse only) measured the same way in this run, against one
// server in a child process. Each side is one long-lived connection, as in an app, and every round
// asks each for a burst of events. Run: pnpm --filter @callwire/realtime-client bench
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket } from 'ws';
import { benchAuth as auth } from './bench-auth.ts';
import './resolve-ts.ts';

// Imported after the resolve hook is in place (the sources use `.js` specifiers).
const { createRealtimeClient } = await import('../src/index.ts');
const { parseEventLenient } = await import('@callwire/types');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const IDLE = Number(process.env.BENCH_IDLE ?? 300);
const MEMORY_ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 5);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function startServer(): Promise<{ url: string; stop(): void }> {
  // Each connection asks for a warm-up burst, then one per round.
  const bursts = ROUNDS + 1;
  const child = fork(
    fileURLToPath(new URL('./server.ts', import.meta.url)),
    [String(EVENTS), String(bursts)],
    {
      stdio: 'inherit',
    },
  );
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m: { port: number }) => resolve(m.port)),
  );
  return { url: `ws://127.0.0.1:${port}/ws`, stop: () => child.kill() };
}

/** The socket the client constructed last, to send the bench server its "start sending" message. */
let lastSocket: WebSocket | undefined;
/**
 * Every socket of the bench, raw or under the client, idle or busy, is one of these, so that ws's
 * code (and the client's) sees one class of socket whichever side runs.
 */
const BenchSocket = class extends WebSocket {
  constructor(url: string) {
    super(url);
    lastSocket = this;
  }
};

/** One connection that receives a burst of `EVENTS` events per run, then stays open for the next. */
interface Receiver {
  run(): Promise<Sample>;
  close(): void;
}

/** Asks the server for a burst on `socket`; measures from the request until `burst` resolves. */
async function measureBurst(socket: WebSocket, burst: Promise<void>): Promise<Sample> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  socket.send(JSON.stringify({ type: 'blast' }));
  await burst;
  return measureSince(started, cpu);
}

/** Baseline: a bare ws socket, auth + subscribe by hand, JSON.parse per frame, count events. */
async function openRaw(url: string): Promise<Receiver> {
  const socket = new BenchSocket(url);
  await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
  let n = 0;
  let until = 0;
  let done: () => void = () => {};
  await new Promise<void>((subscribed) => {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { type: string; event?: { seq: number } };
      if (message.type === 'auth') socket.send(JSON.stringify({ type: 'subscribe', id: 's1', types: ['*'] }));
      else if (message.type === 'subscribed') subscribed();
      else if (message.type === 'event' && message.event !== undefined && ++n === until) done();
    });
    socket.send(JSON.stringify({ type: 'auth', token: 'bench-token' }));
  });
  return {
    run: () => {
      until = n + EVENTS;
      return measureBurst(socket, new Promise((resolve) => (done = resolve)));
    },
    close: () => socket.close(),
  };
}

/** The client on its own connection: one handler, one subscription to everything. */
async function openClient(url: string, validate: boolean): Promise<Receiver> {
  const client = createRealtimeClient({
    url,
    auth,
    WebSocket: BenchSocket,
    ...(validate ? { validate: parseEventLenient } : {}),
  });
  let n = 0;
  let until = 0;
  let done: () => void = () => {};
  client.on('*', () => {
    if (++n === until) done();
  });
  await client.subscribe(['*']).ready;
  // The bench server's own "start sending" message goes on the client's socket: the client has no
  // API for it, on purpose.
  const socket = lastSocket!;
  return {
    run: () => {
      until = n + EVENTS;
      return measureBurst(socket, new Promise((resolve) => (done = resolve)));
    },
    close: () => client.dispose(),
  };
}

interface Sample {
  /** Events per second of wall time (bounded by the sender as much as by the receiver). */
  rate: number;
  /** Microseconds of this process's CPU per event: the receiver's own cost. */
  cpuPerEvent: number;
}

function measureSince(started: number, cpu: NodeJS.CpuUsage): Sample {
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { rate: EVENTS / (wall / 1000), cpuPerEvent: (used.user + used.system) / EVENTS };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Collects until the heap stops shrinking: one `gc()` can leave garbage a finalizer or a weak reference frees. */
async function settledHeap(): Promise<number> {
  let used = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    const now = process.memoryUsage().heapUsed;
    if (now >= used) return now;
    used = now;
  }
  return used;
}

/** Opens one idle connection (authenticated, one subscription, one consumer); returns its closer. */
type OpenIdle = (url: string) => Promise<() => void>;

const openRawIdle: OpenIdle = async (url) => {
  const socket = new BenchSocket(url);
  await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
  socket.addEventListener('message', (event) => JSON.parse(String(event.data)));
  socket.send(JSON.stringify({ type: 'auth', token: 'bench-token' }));
  socket.send(JSON.stringify({ type: 'subscribe', id: 's1', types: ['*'] }));
  return () => socket.close();
};

const openClientIdle: OpenIdle = async (url) => {
  const c = createRealtimeClient({ url, auth, WebSocket: BenchSocket });
  c.on('*', () => {});
  await c.subscribe(['*']).ready;
  return () => c.dispose();
};

/** Heap per idle connection: `IDLE` of them open at once, the heap settled before and after. */
async function heapPerConnection(url: string, open: OpenIdle): Promise<number> {
  const before = await settledHeap();
  const closers: (() => void)[] = [];
  for (let i = 0; i < IDLE; i++) closers.push(await open(url));
  // Let the last answers (and the server's welcome frames) arrive.
  await new Promise((r) => setTimeout(r, 200));
  const after = await settledHeap();
  for (const close of closers) close();
  await new Promise((r) => setTimeout(r, 200));
  return (after - before) / IDLE;
}

/**
 * Both sides measured the same way, interleaved in random order over `MEMORY_ROUNDS` rounds after a
 * warm-up round (whose code compilation would otherwise be charged to whichever side runs first).
 */
async function idleMemory(url: string): Promise<{ raw: number[]; client: number[] }> {
  const raw: number[] = [];
  const client: number[] = [];
  await heapPerConnection(url, openRawIdle);
  await heapPerConnection(url, openClientIdle);
  for (let r = 0; r < MEMORY_ROUNDS; r++) {
    const sides: [number[], OpenIdle][] = [
      [raw, openRawIdle],
      [client, openClientIdle],
    ];
    for (const [results, open] of sides.sort(() => Math.random() - 0.5))
      results.push(await heapPerConnection(url, open));
  }
  return { raw, client };
}

const server = await startServer();
try {
  // Memory first: in this process, the throughput rounds below (each after a forced collection
  // with no client alive) left V8 laying out clients made afterwards with their fields out of
  // object, 2.4 KiB more per client, an effect of the bench's own gc() calls.
  const memory = await idleMemory(server.url);
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  const range = (xs: number[]) => `${kib(Math.min(...xs))}-${kib(Math.max(...xs))}`;
  const extra = memory.client.map((c, i) => c - memory.raw[i]!);
  console.log(
    `memory per idle connection (${IDLE} open at once, heap settled by gc before and after; ${MEMORY_ROUNDS} rounds, medians and (lowest-highest)):`,
  );
  console.log(`  raw ws                     ${kib(median(memory.raw))} KiB (${range(memory.raw)})`);
  console.log(`  client                     ${kib(median(memory.client))} KiB (${range(memory.client)})`);
  console.log(
    `  the client's own share     +${kib(median(extra))} KiB (${range(extra)}), each round against its raw ws`,
  );
  const raw: Sample[] = [];
  // A second raw connection measured like the others: how far two identical sides land apart on
  // this machine in this run, the resolution of every ratio below.
  const rawAgain: Sample[] = [];
  const validated: Sample[] = [];
  const unvalidated: Sample[] = [];
  // One long-lived connection per side, as an app keeps one: a client made afresh for each round
  // paid for its code being optimized again (V8 drops optimized code that embedded objects of a
  // client collected since), which an app's one client pays once.
  const receivers = {
    raw: await openRaw(server.url),
    rawAgain: await openRaw(server.url),
    validated: await openClient(server.url, true),
    unvalidated: await openClient(server.url, false),
  };
  const variants: [Sample[], Receiver][] = [
    [raw, receivers.raw],
    [rawAgain, receivers.rawAgain],
    [validated, receivers.validated],
    [unvalidated, receivers.unvalidated],
  ];
  // Warm-up, then interleaved rounds.
  for (const [, receiver] of variants) await receiver.run();
  for (let r = 0; r < ROUNDS; r++) {
    // A random order each round, and a collection before each run, so neither drift nor the
    // previous run's garbage favours one variant.
    for (const [results, receiver] of [...variants].sort(() => Math.random() - 0.5)) {
      gc();
      results.push(await receiver.run());
    }
  }
  for (const [, receiver] of variants) receiver.close();
  const rate = (xs: Sample[]) => median(xs.map((x) => x.rate));
  const cpu = (xs: Sample[]) => median(xs.map((x) => x.cpuPerEvent));
  // Spread: the lowest and highest of the per-round ratios (each round's variant against that round's raw run).
  const spread = (xs: Sample[], ratio: (x: Sample, base: Sample) => number) => {
    const ratios = xs.map((x, i) => ratio(x, raw[i]!));
    return `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
  };
  const row = (name: string, xs: Sample[]) =>
    `  ${name.padEnd(26)} ${Math.round(rate(xs)).toLocaleString('en-US').padStart(9)} events/s  ${(rate(xs) / rate(raw)).toFixed(2)}x` +
    ` (${spread(xs, (x, b) => x.rate / b.rate)})` +
    `   ${cpu(xs).toFixed(2).padStart(6)} us CPU/event  ${(cpu(raw) / cpu(xs)).toFixed(2)}x` +
    ` (${spread(xs, (x, b) => b.cpuPerEvent / x.cpuPerEvent)})`;
  console.log(
    `events: ${EVENTS} per round, ${ROUNDS} rounds, medians and (spread: lowest-highest per-round ratio); one ws connection, one frame per event`,
  );
  console.log('  throughput (wall) and receiver CPU per event; ratios against raw ws, higher is better');
  console.log(row('raw ws + JSON.parse', raw));
  console.log(row('raw ws, a second socket', rawAgain));
  console.log(row('client, validated', validated));
  console.log(row('client, not validated', unvalidated));
} finally {
  server.stop();
}
