// `POST /rest/sms` from one client, one request at a time, against the bare Fastify route from the
// same client in the same iterations (bare first in one iteration and last in the next, as the
// 100-client rows do). The embedded database commits writes in groups; a request that arrives
// alone must be committed at once, not held back for company. What it adds to the bare route's
// latency is the figure that shows it: a group that waited for newcomers would add its wait (up to
// 4 ms) to every lone request. Each round sends for BENCH_SECONDS over one keep-alive connection;
// latencies are per request, in milliseconds with microsecond resolution.
import {
  aliceToken,
  type BenchDb,
  median,
  percentile,
  ROUNDS,
  SECONDS,
  type StartBenchServer,
  withBenchServer,
} from './kit.ts';
import type { Report } from './report.ts';

/** "median of 5, min 0.31, max 0.40": latencies keep two decimals, where the kit's spread keeps one. */
function msSpread(xs: readonly number[]): string {
  return `median of ${xs.length}, min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)}`;
}

/** Per-request latencies (ms) of sequential POSTs of `body` to `url` for BENCH_SECONDS. */
async function sequential(url: string, headers: Record<string, string>, body: string): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const res = await fetch(url, { method: 'POST', headers, body });
    await res.arrayBuffer();
    latencies.push(performance.now() - started);
    if (!res.ok) throw new Error(`a lone send was refused: ${res.status}`);
  }
  return latencies;
}

/** One round of lone sends to a fresh server: its p50 and p99 (ms). */
async function loneRound(start: StartBenchServer, db: BenchDb, from: string) {
  return withBenchServer(start, db, async (server) => {
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${await aliceToken(server)}`,
    };
    const body = JSON.stringify({ from, to: '+12125550123', message: 'Your appointment is at 10:30' });
    const latencies = await sequential(`${server.url}/rest/sms`, headers, body);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  });
}

/** The one-client rows of one database, each server's p50 against the bare route's. */
export async function loneSendRows(
  report: Report,
  db: BenchDb,
  servers: [string, StartBenchServer][],
  from: string,
  bareUrl: string,
): Promise<void> {
  const bare = { p50: [] as number[], p99: [] as number[] };
  const sends = new Map(servers.map(([label]) => [label, { p50: [] as number[], p99: [] as number[] }]));
  const bareRound = async () => {
    const latencies = await sequential(bareUrl, { 'content-type': 'application/json' }, '{}');
    bare.p50.push(percentile(latencies, 50));
    bare.p99.push(percentile(latencies, 99));
  };
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) await bareRound();
    for (const [label, start] of i % 2 === 0 ? servers : [...servers].reverse()) {
      const round = await loneRound(start, db, from);
      sends.get(label)?.p50.push(round.p50);
      sends.get(label)?.p99.push(round.p99);
    }
    if (i % 2 === 1) await bareRound();
  }
  const bareP50 = median(bare.p50);
  report({
    name: `bare Fastify POST route, 1 client, ${db} run, p50`,
    value: bareP50,
    unit: 'ms',
    note: `${msSpread(bare.p50)}; p99 ${median(bare.p99).toFixed(2)} ms`,
  });
  for (const [label, { p50, p99 }] of sends) {
    report({
      name: `POST /rest/sms, ${db}, 1 client, p50${label}`,
      value: median(p50),
      unit: 'ms',
      ratio: median(p50) / bareP50,
      note: `${msSpread(p50)}; p99 ${median(p99).toFixed(2)} ms`,
    });
    report({ name: `  added to the bare route's p50${label}`, value: median(p50) - bareP50, unit: 'ms' });
  }
}
