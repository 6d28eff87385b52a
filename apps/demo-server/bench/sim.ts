// The durable simulated network: steps run per second (SQLite; PostgreSQL with one and with two
// instances sharing the database), the latency from a step's due time to its run (p50/p99), and
// `POST /rest/sms` requests/s, each over several rounds (median and min–max). The baseline is a bare
// Fastify POST route measured in the same run. PostgreSQL rows need BENCH_DATABASE_URL.
// BENCH_BASE_SERVER=<other checkout>/apps/demo-server/src/server.ts also measures that server's
// `POST /rest/sms` in alternating rounds (before/after a change, in the same conditions).
// Run on its own (`node --conditions=source bench/sim.ts`) or as the `sim` section of bench/run.ts.
import './ts-hooks.ts';

import {
  ACME,
  type BenchDb,
  type BenchServer,
  bareSendRounds,
  benchServerOptions,
  benchServers,
  DATABASE_URL,
  demoSender,
  dropSchema,
  freshSchema,
  fundAcme,
  median,
  percentile,
  ROUNDS,
  type StartBenchServer,
  sendRound,
  spread,
} from './kit.ts';

interface Row {
  name: string;
  value: number;
  unit: string;
  ratio?: number;
  note?: string;
}
type Report = (row: Row) => void;

interface SimParts {
  worker: { stop(): Promise<void>; start(): void };
  sms: { send(accountId: string, input: Record<string, string>): Promise<unknown> };
}

/** BENCH_SIM=sms or BENCH_SIM=steps runs one part; BENCH_SIM_DB=postgres one database. */
const PART = process.env.BENCH_SIM ?? 'all';
const ONLY_DB = process.env.BENCH_SIM_DB;

/**
 * Steps run per second: `messages` SMS are accepted while the workers are stopped (three steps
 * each, all due at once at this sim speed), then the workers start and drain them.
 */
async function stepsRound(
  start: StartBenchServer,
  db: BenchDb,
  instances: number,
  messages: number,
): Promise<{ perSecond: number }> {
  const schema = freshSchema(db);
  let ran = 0;
  const servers: BenchServer[] = [];
  for (let i = 0; i < instances; i++) {
    servers.push(
      await start(
        benchServerOptions(db, schema, { seed: i === 0, simSpeed: 1000, sim: { onRan: () => ran++ } }),
      ),
    );
  }
  try {
    await fundAcme(servers[0] as BenchServer);
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
    await dropSchema(schema);
  }
}

/**
 * Due-to-run latency: SMS sent at a steady pace, each step's lateness recorded as it runs. With
 * `remoteOnly` the sending instance's worker is stopped, so every step is picked up by the other
 * instance through the database's notification.
 */
async function latencyRound(
  start: StartBenchServer,
  db: BenchDb,
  instances: number,
  remoteOnly = false,
): Promise<number[]> {
  const schema = freshSchema(db);
  const late: number[] = [];
  const servers: BenchServer[] = [];
  for (let i = 0; i < instances; i++) {
    servers.push(
      await start(
        benchServerOptions(db, schema, {
          seed: i === 0,
          simSpeed: 10,
          sim: { onRan: (ms: number) => late.push(ms) },
        }),
      ),
    );
  }
  try {
    await fundAcme(servers[0] as BenchServer);
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
    await dropSchema(schema);
  }
}

/** The demo number every send comes from (set once the seed module is loaded). */
let FROM = '';

export async function run(report: Report): Promise<void> {
  FROM = await demoSender();
  const { startServer, before } = await benchServers();

  const baselines = (await bareSendRounds(10)).map((r) => r.requests.average);
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
      if (before !== undefined) earlier.push((await sendRound(before, db, FROM, 10)).requests.average);
      after.push((await sendRound(startServer, db, FROM, 10)).requests.average);
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
