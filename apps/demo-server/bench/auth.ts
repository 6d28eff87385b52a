// Auth benchmarks: GET /rest/account through each door (Basic with a warm cache, session bearer,
// API token, Integrator) against a bare Fastify route returning the same JSON, in one run; the
// cold-cache burst (50 identical Basic requests → one argon2 verification); the server's idle RSS
// with demo data (measured in a child process so that autocannon's memory is not counted).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './report.ts';

type Report = (row: BenchRow) => void;

const TARGET_RATIO = 0.7;

export async function run(report: Report): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const { startServer } = await import('../src/server.ts');
  const { load } = await import('./load.ts');
  const { DEMO_ACCOUNTS } = await import('../src/seed/demo-identity.ts');
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  // Real argon2 parameters (OWASP), no rate limit: we measure the doors, not the limiter.
  const server = await startServer({ port: 0, memory: true, rateLimit: { perPrincipalPerMinute: 0 } });
  const url = `${server.url}/rest/account`;
  const alice = basic('alice@example.com', 'alice-pass-1');
  const sample = await fetch(url, { headers: { authorization: alice } });
  const sampleBody = await sample.text();

  // ---- baseline: bare Fastify returning the same JSON -----------------------------------------
  const bare = Fastify();
  const payload = JSON.parse(sampleBody) as unknown;
  bare.get('/rest/account', async () => payload);
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/rest/account`;
  await load({ url: bareUrl, seconds: 1 }); // warm-up
  // The machine is shared (2 cores): each door is measured right after its own baseline run and
  // the ratio is taken per pair, so load drifting during the run does not skew one door.
  const baselines: number[] = [];

  // ---- credentials for each door ---------------------------------------------------------------
  const loginRes = await fetch(`${server.url}/rest/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
  });
  const session = ((await loginRes.json()) as { payload: { token: string } }).payload.token;
  const tokenRes = await fetch(`${server.url}/rest/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: alice },
    body: JSON.stringify({ name: 'bench', ttl: 3600 }),
  });
  const apiToken = ((await tokenRes.json()) as { payload: { token: string } }).payload.token;
  const integ = `Integrator ${Buffer.from('demo-integrator:demo-integrator-secret-1').toString('base64')}`;

  const doors: Array<[string, string, Record<string, string>]> = [
    ['Basic (warm cache)', url, { authorization: alice }],
    ['session bearer', url, { authorization: `Bearer ${session}` }],
    ['API token', url, { authorization: `Bearer ${apiToken}` }],
    ['Integrator', `${url}?account_id=${DEMO_ACCOUNTS.acme.uuid}`, { authorization: integ }],
  ];
  for (const [name, target, headers] of doors) {
    await load({ url: target, headers, seconds: 1 }); // warm-up (fills the caches)
    const base = await load({ url: bareUrl, seconds });
    const r = await load({ url: target, headers, seconds });
    baselines.push(base.requests.average);
    const ratio = r.requests.average / base.requests.average;
    report({
      name: `GET /rest/account, ${name}`,
      value: r.requests.average,
      unit: 'req/s',
      ratio,
      note: `${ratio >= TARGET_RATIO ? 'ok' : 'BELOW'} target ${TARGET_RATIO}x; paired baseline ${Math.round(base.requests.average)} req/s; non-2xx ${r.non2xx}`,
    });
  }
  await bare.close();
  report({
    name: 'baseline: bare Fastify GET /rest/account (mean)',
    value: baselines.reduce((a, b) => a + b, 0) / baselines.length,
    unit: 'req/s',
  });

  // ---- cold-cache burst --------------------------------------------------------------------------
  const bob = basic('bob@example.com', 'bob-pass-1');
  server.ctx.auth.basicCache.clear();
  const before = server.ctx.auth.hasher.verifications;
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: 50 }, () =>
      fetch(`${url}?account_id=${DEMO_ACCOUNTS.acme.uuid}`, { headers: { authorization: bob } }).then(
        (r) => r.status,
      ),
    ),
  );
  const burstMs = performance.now() - started;
  const verifications = server.ctx.auth.hasher.verifications - before;
  report({
    name: 'cold-cache burst: 50 identical Basic requests',
    value: verifications,
    unit: 'argon2 verifications',
    note: `${verifications === 1 ? 'ok' : 'EXPECTED 1'}; all 200: ${statuses.every((s) => s === 200)}; ${burstMs.toFixed(0)} ms`,
  });
  await server.close();

  // ---- idle RSS ----------------------------------------------------------------------------------
  const child = spawnSync(
    process.execPath,
    ['--conditions=source', fileURLToPath(new URL('./idle-rss.ts', import.meta.url))],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const rssMb = Number(child.stdout.trim().split('\n').pop());
  report({
    name: 'idle RSS with demo data (SQLite file)',
    value: rssMb,
    unit: 'MB',
    note: Number.isFinite(rssMb)
      ? rssMb < 200
        ? 'ok (target < 200 MB)'
        : 'ABOVE 200 MB'
      : child.stderr.slice(0, 200),
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await import('./ts-hooks.ts');
  const { printRow } = await import('./report.ts');
  await run(printRow);
}
