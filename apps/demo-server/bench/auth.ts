// Auth benchmarks: GET /rest/account through each door (Basic with a warm cache, session bearer,
// API token, Integrator) against a bare Fastify route returning the same JSON; the cold-cache burst
// (50 identical Basic requests → one argon2 verification); the server's idle RSS with demo data
// (measured in a child process so that autocannon's memory is not counted).
//
// The doors' verdict is CPU time per request of the process serving both the doors and the bare
// route (a child process, read from /proc, so that the load generator's CPU is not counted): the
// bare route's over the door's, target at least 0.85x. Each door is measured in BENCH_ROUNDS rounds
// (default 6: even, so that each side goes first as often as the other) of BENCH_SECONDS each
// (default 1): in every round the door and its own baseline run once, the one going first
// alternating, and the round gives one ratio; the verdict is the median
// ratio, printed with the lowest and highest (see paired-rounds.ts for why). The control row
// measures the bare route against itself the same way: how far its ratios stray from 1.00x is the
// resolution of the bench on this machine at this moment. A run where they stray far, or where the
// bare route's throughput swings from round to round, is marked as too noisy to judge.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint, PairedRounds } from './paired-rounds.ts';
import type { Report } from './report.ts';

const TARGET_RATIO = 0.85;
/** The control's rounds may spread this much (and its median stray a third of it from 1) in a run worth judging. */
const CONTROL_RANGE = 0.15;
/** The baseline's fastest round over its slowest, at most, in a run worth judging (quiet runs: ~1.2). */
const BASELINE_SWING = 1.3;

export async function run(report: Report): Promise<void> {
  const { startServer } = await import('../src/server.ts');
  const { load } = await import('./load.ts');
  const { median, ratioSpread } = await import('./kit.ts');
  const { pairedRounds } = await import('./paired-rounds.ts');
  const { DEMO_ACCOUNTS } = await import('../src/seed/demo-identity.ts');
  const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
  const seconds = Number(process.env.BENCH_SECONDS ?? 1);
  const basicAuth = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  // ---- doors against the bare route, in a child process -----------------------------------------
  const child = spawn(
    process.execPath,
    ['--conditions=source', fileURLToPath(new URL('./auth-target.ts', import.meta.url))],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const first = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`bench target exited (${code})`)));
  });
  const target = JSON.parse(first) as {
    bareUrl: string;
    url: string;
    basic: string;
    session: string;
    apiToken: string;
    integrator: string;
  };
  const acme = DEMO_ACCOUNTS.acme.uuid;
  const pid = child.pid as number;
  const bare: Endpoint = { url: target.bareUrl, headers: {} };

  await load({ url: target.bareUrl, seconds: 1 }); // warm-up
  const doors: Array<[string, Endpoint]> = [
    ['Basic (warm cache)', { url: target.url, headers: { authorization: target.basic } }],
    ['session bearer', { url: target.url, headers: { authorization: `Bearer ${target.session}` } }],
    ['API token', { url: target.url, headers: { authorization: `Bearer ${target.apiToken}` } }],
    [
      'Integrator',
      { url: `${target.url}?account_id=${acme}`, headers: { authorization: target.integrator } },
    ],
  ];
  const baselineRps: number[] = [];
  // CPU ms per 1000 requests is µs per request.
  const usPerReq = (runs: PairedRounds['base']) => median(runs.map((m) => m.cpuPerK as number));
  try {
    for (const [name, door] of doors) {
      // The same query string on the baseline: parsing it is Fastify's work, not the door's.
      const query = door.url.includes('?') ? door.url.slice(door.url.indexOf('?')) : '';
      const base: Endpoint = { url: `${target.bareUrl}${query}`, headers: {} };
      await load({ ...door, seconds: 1 }); // warm-up (fills the caches)
      if (query !== '') await load({ ...base, seconds: 1 });
      const p = await pairedRounds(pid, base, door, rounds, seconds);
      baselineRps.push(...p.base.map((m) => m.rps));
      const doorRps = median(p.other.map((m) => m.rps));
      const baseRps = median(p.base.map((m) => m.rps));
      const non2xx = p.other.reduce((n, m) => n + m.non2xx, 0);
      report({
        name: `GET /rest/account, ${name}`,
        value: p.ratio,
        unit: p.byCpu ? 'x bare route (CPU per request)' : 'x bare route (req/s; no /proc)',
        note:
          `${ratioSpread(p.ratios)}; ` +
          (p.byCpu ? `${usPerReq(p.other).toFixed(1)} vs ${usPerReq(p.base).toFixed(1)} µs/req, ` : '') +
          `${Math.round(doorRps)} vs ${Math.round(baseRps)} req/s; ` +
          `${p.ratio >= TARGET_RATIO ? 'ok' : 'BELOW'} target ${TARGET_RATIO}x; non-2xx ${non2xx}`,
      });
    }
    // The bare route against itself, measured the same way: its spread is the bench's resolution.
    // On a busy machine it widens, and the doors' ratios then fall too (a door runs more code than
    // the bare route, and loses more of its speed to whatever else runs): such a run is no verdict.
    const control = await pairedRounds(pid, bare, bare, rounds, seconds);
    const noisy =
      Math.max(...control.ratios) - Math.min(...control.ratios) > CONTROL_RANGE ||
      Math.abs(control.ratio - 1) > CONTROL_RANGE / 3;
    report({
      name: 'control: bare route against itself',
      value: control.ratio,
      unit: control.byCpu ? 'x bare route (CPU per request)' : 'x bare route (req/s; no /proc)',
      note:
        `${ratioSpread(control.ratios)}: the resolution of the figures above` +
        (noisy ? '; TOO NOISY to judge the doors: the machine was busy, run again' : ''),
    });
  } finally {
    child.kill('SIGTERM');
  }
  // The bare route's throughput is the same work in every round: when it swings, something else took
  // the machine's cores during the run (the control above only samples its end).
  const swing = Math.max(...baselineRps) / Math.min(...baselineRps);
  report({
    name: 'baseline: bare Fastify GET /rest/account (median)',
    value: median(baselineRps),
    unit: 'req/s',
    note:
      `min ${Math.round(Math.min(...baselineRps))}, max ${Math.round(Math.max(...baselineRps))}` +
      (swing > BASELINE_SWING ? '; TOO NOISY to judge the doors: the machine was busy, run again' : ''),
  });

  // Real argon2 parameters (OWASP) for the burst.
  const server = await startServer({ port: 0, memory: true, rateLimit: { perPrincipalPerMinute: 0 } });
  const url = `${server.url}/rest/account`;

  // ---- cold-cache burst --------------------------------------------------------------------------
  const bob = basicAuth('bob@example.com', 'bob-pass-1');
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
  const rss = await idleRss();
  report({
    name: `idle RSS with demo data (${rss.what})`,
    value: rss.mb ?? Number.NaN,
    unit: 'MB',
    note: rss.mb === undefined ? rss.error : rss.mb < 200 ? 'ok (target < 200 MB)' : 'ABOVE 200 MB',
  });
}

/**
 * The built server as `pnpm start` runs it (dist/bin.mjs, fresh data folder with the demo data),
 * idle after one request; without a build, the sources (which carry the TypeScript loader's memory).
 */
async function idleRss(): Promise<{ mb?: number; what: string; error?: string }> {
  const dist = fileURLToPath(new URL('../dist/bin.mjs', import.meta.url));
  if (!existsSync(dist)) {
    const child = spawnSync(
      process.execPath,
      ['--conditions=source', fileURLToPath(new URL('./idle-rss.ts', import.meta.url))],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const mb = Number(child.stdout.trim().split('\n').pop());
    return Number.isFinite(mb)
      ? { mb, what: 'sources via type stripping; build for the real figure' }
      : { what: 'sources', error: child.stderr.slice(0, 200) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'callwire-rss-'));
  const child = spawn(process.execPath, [dist, '--port', '0', '--data-dir', dir, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        const m = /Listening on (http:\/\/\S+)/.exec(buf);
        if (m) resolve(m[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    });
    await fetch(`${url}/rest/account`, {
      headers: { authorization: `Basic ${Buffer.from('alice@example.com:alice-pass-1').toString('base64')}` },
    });
    await new Promise((r) => setTimeout(r, 2000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return { mb: kb / 1024, what: 'built server, SQLite file' };
  } catch (error) {
    return { what: 'built server', error: error instanceof Error ? error.message : String(error) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await import('./ts-hooks.ts');
  const { printRow } = await import('./report.ts');
  await run(printRow);
}
