// Auth benchmarks: GET /rest/account through each door (Basic with a warm cache, session bearer,
// API token, Integrator) against a bare Fastify route returning the same JSON, in one run; the
// cold-cache burst (50 identical Basic requests → one argon2 verification); the server's idle RSS
// with demo data (measured in a child process so that autocannon's memory is not counted).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './report.ts';

type Report = (row: BenchRow) => void;

const TARGET_RATIO = 0.85;

/** CPU time (user + system, ms) a process has used, from /proc; undefined where there is no /proc. */
function childCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

export async function run(report: Report): Promise<void> {
  const { startServer } = await import('../src/server.ts');
  const { load } = await import('./load.ts');
  const { DEMO_ACCOUNTS } = await import('../src/seed/demo-identity.ts');
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
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
  const cpu = () => childCpuMs(child.pid as number);

  /** Requests/s, and CPU ms the server process spent per 1000 requests (immune to other load). */
  async function measure(url: string, headers: Record<string, string>) {
    const before = cpu();
    const r = await load({ url, headers, seconds });
    const after = cpu();
    const perK =
      before === undefined || after === undefined ? undefined : ((after - before) / r.requests.total) * 1000;
    return { rps: r.requests.average, cpuPerK: perK, non2xx: r.non2xx };
  }

  await load({ url: target.bareUrl, seconds: 1 }); // warm-up
  const doors: Array<[string, string, Record<string, string>]> = [
    ['Basic (warm cache)', target.url, { authorization: target.basic }],
    ['session bearer', target.url, { authorization: `Bearer ${target.session}` }],
    ['API token', target.url, { authorization: `Bearer ${target.apiToken}` }],
    ['Integrator', `${target.url}?account_id=${acme}`, { authorization: target.integrator }],
  ];
  const baselines: number[] = [];
  try {
    for (const [name, url, headers] of doors) {
      await load({ url, headers, seconds: 1 }); // warm-up (fills the caches)
      // Each door is measured right after its own baseline run: the machine is shared, and pairing
      // keeps drifting load from skewing one door. CPU per request is the steadier figure.
      // The same query string on the baseline: parsing it is Fastify's work, not the door's.
      const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
      const base = await measure(`${target.bareUrl}${query}`, {});
      const door = await measure(url, headers);
      baselines.push(base.rps);
      const ratio = door.rps / base.rps;
      const cpuRatio =
        base.cpuPerK !== undefined && door.cpuPerK !== undefined ? base.cpuPerK / door.cpuPerK : undefined;
      // CPU per request is the verdict when it is known: throughput swings with whatever else runs.
      const verdict = cpuRatio ?? ratio;
      report({
        name: `GET /rest/account, ${name}`,
        value: door.rps,
        unit: 'req/s',
        ratio,
        note:
          `paired baseline ${Math.round(base.rps)} req/s` +
          (cpuRatio === undefined
            ? ''
            : `; CPU ${door.cpuPerK?.toFixed(0)} vs ${base.cpuPerK?.toFixed(0)} ms/1k req = ${cpuRatio.toFixed(2)}x`) +
          `; ${verdict >= TARGET_RATIO ? 'ok' : 'BELOW'} target ${TARGET_RATIO}x; non-2xx ${door.non2xx}`,
      });
    }
  } finally {
    child.kill('SIGTERM');
  }
  report({
    name: 'baseline: bare Fastify GET /rest/account (mean)',
    value: baselines.reduce((a, b) => a + b, 0) / baselines.length,
    unit: 'req/s',
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
