// Telephony benchmarks: SMS send requests/s and events recorded/s on the embedded database (against
// a bare Fastify route measured in the same run), and the call-data report over 100 000 calls in a
// 31-day window (target: under 1 s). Run on its own (`node --conditions=source bench/telephony.ts`)
// or as a section of bench/run.ts through `run(report)`.
import './ts-hooks.ts';

export interface TelephonyBenchRow {
  name: string;
  value: number;
  unit: string;
  /** value / baseline, when there is a baseline. */
  ratio?: number;
  note?: string;
}

type Report = (row: TelephonyBenchRow) => void;

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

async function load(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  seconds: number,
) {
  // autocannon ships no types; the module name in a variable keeps tsc from asking for them.
  const moduleName = 'autocannon';
  const { default: autocannon } = (await import(moduleName)) as {
    default: (opts: Record<string, unknown>) => Promise<AutocannonResult>;
  };
  return autocannon({ url, connections: 10, duration: seconds, ...init });
}

export async function run(report: Report): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const { startServer } = await import('../src/server.ts');
  const { ACME } = { ACME: '0a11ce00-0000-4000-8000-00000000ac01' };
  const { demoNumbers } = await import('../src/telephony/seed.ts');
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);

  // ---- baseline: a bare Fastify POST route ---------------------------------------------------
  const bare = Fastify();
  bare.post('/rest/sms', async () => ({ success: true, payload: { uuid: 'x', state: 'created' } }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareAddr = bare.server.address() as { port: number };
  const body = JSON.stringify({
    from: demoNumbers('201')[0],
    to: '+12125550123',
    message: 'Your appointment is at 10:30',
  });
  const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
  const baseline = await load(`http://127.0.0.1:${bareAddr.port}/rest/sms`, post, seconds);
  await bare.close();
  report({ name: 'baseline: bare Fastify POST route', value: baseline.requests.average, unit: 'req/s' });

  // ---- POST /rest/sms on the embedded database ---------------------------------------------
  const server = await startServer({
    port: 0,
    memory: true,
    seed: true,
    logLevel: 'silent',
    rateLimit: { perPrincipalPerMinute: 0 },
  });
  try {
    const db = server.ctx.db;
    await db.updateTable('account').set({ balance_micros: 1e13 }).where('uuid', '=', ACME).execute();
    const login = await fetch(`${server.url}/rest/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
    });
    const token = ((await login.json()) as { payload: { token: string } }).payload.token;
    const events = server.ctx.services.events;
    const seqBefore = (await events?.lastSeq(ACME)) ?? 0;
    const started = performance.now();
    const sms = await load(
      `${server.url}/rest/sms`,
      { ...post, headers: { ...post.headers, authorization: `Bearer ${token}` } },
      seconds,
    );
    const elapsed = (performance.now() - started) / 1000;
    const seqAfter = (await events?.lastSeq(ACME)) ?? 0;
    if (sms.non2xx > 0 || sms.errors > 0)
      throw new Error(`SMS load had ${sms.non2xx} non-2xx and ${sms.errors} errors`);
    report({
      name: 'POST /rest/sms',
      note: 'auth, scoping, debit, insert, 2 events; simulator running',
      value: sms.requests.average,
      unit: 'req/s',
      ratio: sms.requests.average / baseline.requests.average,
    });
    report({
      name: 'events recorded during the SMS load',
      value: (seqAfter - seqBefore) / elapsed,
      unit: 'events/s',
    });
    report({ name: 'SMS accepted during the SMS load', value: sms.requests.total / elapsed, unit: 'SMS/s' });

    // ---- events recorded/s, directly: one event per transaction ------------------------------
    const service = events;
    if (service !== undefined) {
      const n = 5000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        await service.transaction(async (_trx, emit) => {
          await emit({
            accountId: ACME,
            type: 'account.updated',
            refId: ACME,
            message: 'bench',
            payload: {
              uuid: ACME,
              name: 'Acme Dental',
              email: 'office@acme-dental.example',
              level: 'Level1',
              balance: 1,
              time_zone: 'UTC',
              created_on: new Date().toISOString(),
              modified_on: new Date().toISOString(),
            },
          });
        });
      }
      report({
        name: 'events recorded, one per transaction',
        value: n / ((performance.now() - t0) / 1000),
        unit: 'events/s',
      });
    }
  } finally {
    await server.close();
  }

  // ---- call-data report: 100 000 calls in a 31-day window ------------------------------------
  const reportServer = await startServer({ port: 0, memory: true, seed: true, logLevel: 'silent' });
  try {
    const db = reportServer.ctx.db;
    const start = Date.UTC(2026, 0, 1, 5, 0, 0);
    const span = 31 * 86_400_000;
    const total = 100_000;
    const chunk = 500;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < total; i += chunk) {
        const rows = [];
        for (let j = i; j < Math.min(total, i + chunk); j++) {
          const t = new Date(start + Math.floor((j / total) * span)).toISOString();
          rows.push({
            uuid: crypto.randomUUID(),
            account_id: ACME,
            direction: 'out' as const,
            from_tn: '+12015550100',
            to_tn: `+1212555${String(j % 10000).padStart(4, '0')}`,
            state: 'destroyed',
            duration: j % 300,
            billable_seconds: j % 300,
            cost_micros: Math.ceil((j % 300) / 60) * 13_000,
            init_on: t,
            ring_on: t,
            answer_on: t,
            hangup_on: t,
            destroy_on: t,
            q850_cause: 16,
            parent: null,
            batch: null,
            bridged_with: null,
            call_flow_xml: null,
            talk_secs: null,
            timeout_secs: null,
            modified_on: t,
          });
        }
        await trx.insertInto('call').values(rows).execute();
      }
    });
    // Noise outside the window and in another account must not slow the indexed read.
    const login = await reportServer.app.inject({
      method: 'POST',
      url: '/rest/auth/login',
      payload: { username: 'alice@example.com', password: 'alice-pass-1' },
    });
    const token = (login.json() as { payload: { token: string } }).payload.token;
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const res = await fetch(
        `${reportServer.url}/rest/reports/call-data?start_date=2026-01-01&end_date=2026-01-31`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      const json = (await res.json()) as { payload: unknown[] };
      times.push(performance.now() - t0);
      count = json.payload.length;
    }
    times.sort((a, b) => a - b);
    if (count !== total) throw new Error(`the report returned ${count} records, expected ${total}`);
    report({
      name: 'GET /rest/reports/call-data',
      note: `${total} calls in a 31-day window, median of 5, target < 1000 ms`,
      value: times[2]!,
      unit: 'ms',
    });
  } finally {
    await reportServer.close();
  }
}

if (import.meta.main) {
  const { printRow } = await import('./report.ts');
  await run(printRow);
}
