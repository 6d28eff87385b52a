// Realtime benchmarks, each against raw `ws` sending the same frames in the same run:
// - events/s from emit (a committed transaction) to one subscribed client on loopback;
// - fan-out latency (p50/p99) from emit to each of 1,000 subscribed sockets;
// - memory per idle authenticated connection, the server alone in a child process.
// BENCH_EVENTS (default 5000), BENCH_SOCKETS (default 1000) and BENCH_ROUNDS (default 30) tune it.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { batchUpdate } from './kit.ts';
import type { Report } from './report.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Opens `n` sockets, `concurrency` at a time; `init` runs on each (auth, subscribe) and resolves when it is ready. */
async function openMany(
  url: string,
  n: number,
  init: (ws: WebSocket) => Promise<void>,
  concurrency = 50,
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < n; i += concurrency) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(concurrency, n - i) }, async () => {
        const ws = new WebSocket(url);
        await new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        });
        await init(ws);
        return ws;
      }),
    );
    sockets.push(...batch);
  }
  return sockets;
}

/** Sends `frame` and resolves with the first reply of `type`. */
function request(ws: WebSocket, frame: unknown, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.type !== type) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(frame));
  });
}

async function callwireSocket(url: string, token: string, subscribe: boolean): Promise<WebSocket> {
  const [ws] = await openMany(url, 1, async (s) => {
    await request(s, { type: 'auth', token }, 'auth');
    if (subscribe) await request(s, { type: 'subscribe', id: 's', types: ['*'] }, 'subscribed');
  });
  return ws!;
}

/** Counts event frames on a socket until `n` arrived. */
function counter(ws: WebSocket, n: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    ws.on('message', () => {
      if (++seen === n) resolve();
    });
  });
}

export async function run(report: Report): Promise<void> {
  const { startServer } = await import('../src/server.ts');
  const server = await startServer({
    port: 0,
    memory: true,
    logLevel: 'silent',
    realtime: { maxConnectionsPerUser: 100_000 },
  });
  const wsUrl = `${server.url.replace(/^http/, 'ws')}/ws`;
  const login = await fetch(`${server.url}/rest/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
  });
  const token = ((await login.json()) as { payload: { token: string; account: { uuid: string } } }).payload;
  const accountId = token.account.uuid;
  const events = server.ctx.services.events!;

  const raw = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => raw.once('listening', r));
  const rawUrl = `ws://127.0.0.1:${(raw.address() as { port: number }).port}`;

  try {
    // ---- events/s, one subscriber ---------------------------------------------------------------
    const frames: string[] = [];
    {
      const ws = await callwireSocket(wsUrl, token.token, true);
      ws.on('message', (data) => frames.push(data.toString()));
      // warm-up
      for (let i = 0; i < 200; i++) await events.emit({ accountId, ...batchUpdate(i, 1000) });
      await sleep(200);
      ws.removeAllListeners('message');

      const perTx = async (size: number): Promise<number> => {
        const done = counter(ws, EVENTS);
        const started = performance.now();
        for (let i = 0; i < EVENTS; i += size) {
          await events.transaction(async (_trx, emit) => {
            for (let j = i; j < Math.min(EVENTS, i + size); j++)
              await emit({ accountId, ...batchUpdate(j, 1000) });
          });
        }
        await done;
        ws.removeAllListeners('message');
        return EVENTS / ((performance.now() - started) / 1000);
      };
      const single = await perTx(1);
      const batched = await perTx(100);
      ws.close();

      // Baseline: a bare ws server sending the same frames, as fast as it can.
      const sample = frames.slice(0, 200);
      const rawRate = await new Promise<number>((resolve) => {
        raw.once('connection', (socket) => {
          socket.once('message', () => {
            const started = performance.now();
            for (let i = 0; i < EVENTS; i++) socket.send(sample[i % sample.length]!);
            socket.once('message', () => resolve(EVENTS / ((performance.now() - started) / 1000)));
          });
        });
        const client = new WebSocket(rawUrl);
        let seen = 0;
        client.on('open', () => client.send('go'));
        client.on('message', () => {
          if (++seen === EVENTS) {
            client.send('done');
            client.close();
          }
        });
      });
      report({ name: 'raw ws, same frames to one client (baseline)', value: rawRate, unit: 'events/s' });
      report({
        name: 'emit → client, 1 event per transaction',
        value: single,
        unit: 'events/s',
        ratio: single / rawRate,
        note: 'each a committed DB transaction',
      });
      report({
        name: 'emit → client, 100 events per transaction',
        value: batched,
        unit: 'events/s',
        ratio: batched / rawRate,
      });
    }

    // ---- fan-out latency to SOCKETS sockets -------------------------------------------------------
    const measureRounds = async (
      sockets: WebSocket[],
      send: (round: number) => Promise<void> | void,
    ): Promise<number[]> => {
      const latencies: number[] = [];
      let sentAt = 0;
      let pending = 0;
      let roundDone: () => void = () => {};
      const pattern = /"message":"r(\d+)"/;
      for (const ws of sockets) {
        ws.removeAllListeners('message');
        ws.on('message', (data) => {
          if (!pattern.test(data.toString())) return;
          latencies.push(performance.now() - sentAt);
          if (--pending === 0) roundDone();
        });
      }
      for (let round = 0; round < ROUNDS; round++) {
        pending = sockets.length;
        const done = new Promise<void>((resolve) => {
          roundDone = resolve;
        });
        sentAt = performance.now();
        await send(round);
        await Promise.race([done, sleep(5000)]);
        await sleep(20);
      }
      return latencies.sort((a, b) => a - b);
    };

    {
      const sockets = await openMany(wsUrl, SOCKETS, async (ws) => {
        await request(ws, { type: 'auth', token: token.token }, 'auth');
        await request(ws, { type: 'subscribe', id: 's', types: ['*'] }, 'subscribed');
      });
      const ours = await measureRounds(sockets, async (round) => {
        await events.emit({ accountId, ...batchUpdate(round, 1000) });
      });
      for (const ws of sockets) ws.terminate();

      const rawSockets = await openMany(rawUrl, SOCKETS, async () => {});
      await sleep(100);
      const subscription = randomUUID();
      const base = await measureRounds(rawSockets, (round) => {
        const event = {
          uuid: randomUUID(),
          seq: round + 1,
          account_id: accountId,
          ...batchUpdate(round, 1000),
        };
        const frame = `{"type":"event","subscription":"${subscription}","event":${JSON.stringify(event)}}`;
        for (const client of raw.clients) client.send(frame);
      });
      for (const ws of rawSockets) ws.terminate();

      const p50 = percentile(ours, 50);
      const p99 = percentile(ours, 99);
      const b50 = percentile(base, 50);
      const b99 = percentile(base, 99);
      report({ name: `raw ws broadcast to ${SOCKETS} sockets p50 (baseline)`, value: b50, unit: 'ms' });
      report({ name: `raw ws broadcast to ${SOCKETS} sockets p99 (baseline)`, value: b99, unit: 'ms' });
      report({
        name: `emit → ${SOCKETS} sockets p50`,
        value: p50,
        unit: 'ms',
        ratio: p50 / b50,
        note: `${ours.length}/${SOCKETS * ROUNDS} deliveries; includes the commit`,
      });
      report({ name: `emit → ${SOCKETS} sockets p99`, value: p99, unit: 'ms', ratio: p99 / b99 });
    }
  } finally {
    raw.close();
    await server.close();
  }

  // ---- memory per idle authenticated connection (server alone in a child) -----------------------
  const perConnection = async (mode: 'callwire' | 'raw') => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--expose-gc',
        fileURLToPath(new URL('./realtime-target.ts', import.meta.url)),
        mode,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines: string[] = [];
    let waiting: ((line: string) => void) | undefined;
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w(line);
        } else lines.push(line);
      }
    });
    const nextLine = () =>
      new Promise<string>((resolve) => {
        const queued = lines.shift();
        if (queued !== undefined) resolve(queued);
        else waiting = resolve;
      });
    const mem = async () => {
      child.stdin.write('mem\n');
      return JSON.parse(await nextLine()) as { heap: number; rss: number };
    };
    const hello = JSON.parse(await nextLine()) as { url: string; token: string };
    const before = await mem();
    const sockets = await openMany(hello.url, SOCKETS, async (ws) => {
      await request(ws, { type: 'auth', token: hello.token }, 'auth');
    });
    await sleep(500);
    const after = await mem();
    for (const ws of sockets) ws.terminate();
    child.stdin.end();
    child.kill();
    return { heap: (after.heap - before.heap) / SOCKETS, rss: (after.rss - before.rss) / SOCKETS };
  };
  const rawMem = await perConnection('raw');
  const ourMem = await perConnection('callwire');
  report({ name: 'raw ws idle connection, heap (baseline)', value: rawMem.heap / 1024, unit: 'KiB' });
  report({
    name: 'idle authenticated connection, heap',
    value: ourMem.heap / 1024,
    unit: 'KiB',
    ratio: ourMem.heap / rawMem.heap,
  });
  report({ name: 'raw ws idle connection, RSS (baseline)', value: rawMem.rss / 1024, unit: 'KiB' });
  report({
    name: 'idle authenticated connection, RSS',
    value: ourMem.rss / 1024,
    unit: 'KiB',
    ratio: ourMem.rss / rawMem.rss,
  });
}
