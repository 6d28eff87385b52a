// Startup benchmark: how long `callwire` takes, as a ratio of a bare `node -e 0` measured in the same
// run (spawn cost dominates both, so the ratio is what the CLI adds). An API command runs against a
// real demo server started here in its own process, so the server's work is not counted against
// the CLI's event loop. Every case is measured interleaved with the baseline, in several rounds;
// each line prints the median ratio over rounds and its spread (min..max).
// Run after a build: `pnpm --filter @callwire/cli bench` (BENCH_ROUNDS, BENCH_RUNS to change).
// BENCH_COMPARE_BIN=<path to another build's bin> also measures that build's `--help` and API
// commands in the same rounds, so a change is judged against its parent under the same load.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.cjs', import.meta.url));
const serverBin = join(
  dirname(fileURLToPath(import.meta.resolve('@callwire/demo-server/package.json'))),
  'dist/bin.mjs',
);
for (const file of [bin, serverBin]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`pnpm build\` first`);
    process.exit(1);
  }
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const configDir = mkdtempSync(join(tmpdir(), 'callwire-bench-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function startDemoServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [serverBin, '--port', '0', '--memory'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the demo server exited with ${code}`)));
  });
  child.stdout?.resume();
  return { url, child };
}

const server = await startDemoServer();
const env = {
  ...process.env,
  CALLWIRE_CONFIG_DIR: join(configDir, 'callwire'),
  CALLWIRE_BASE_URL: server.url,
  NO_COLOR: '1',
};

function time(args: string[], input?: string): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['pipe', 'ignore', 'pipe'], input });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

// A logged-in user, as for anyone running API commands.
time([bin, 'login', '--username', 'alice@example.com', '--password-stdin'], 'alice-pass-1\n');

const cases: [string, string[]][] = [
  // Not the CLI: the least any command using fetch pays, for reading the API commands' numbers
  // against. Loading Node's fetch implementation (undici) alone, then that plus one request to the
  // same server (the first request also sets up undici's HTTP parser and connection pool).
  ['node -e "new Request(…)" (fetch floor)', ['-e', "new Request('http://127.0.0.1/')"]],
  [
    'node -e "await fetch(…)" (one request, no CLI)',
    ['--input-type=module', '-e', `await (await fetch('${server.url}/healthz')).text()`],
  ],
  ['callwire --help', [bin, '--help']],
  ['callwire __complete sms (tab completion)', [bin, '__complete', 'sms', '']],
  ['callwire numbers list (API command)', [bin, 'numbers', 'list']],
  ['callwire sms list --json (API command)', [bin, 'sms', 'list', '--json']],
];
const compareBin = process.env.BENCH_COMPARE_BIN;
if (compareBin) {
  cases.push(
    ['compared build: --help', [compareBin, '--help']],
    ['compared build: numbers list', [compareBin, 'numbers', 'list']],
    ['compared build: sms list --json', [compareBin, 'sms', 'list', '--json']],
  );
}

// Two warm-up runs of each fill the OS file cache and the compile cache, as on a machine in use.
for (const [, args] of cases) for (let i = 0; i < 2; i++) time(args);

const ratios = new Map<string, number[]>(cases.map(([name]) => [name, []]));
const absolute = new Map<string, number[]>(cases.map(([name]) => [name, []]));
const baselines: number[] = [];
for (let r = 0; r < rounds; r++) {
  const base: number[] = [];
  const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) {
    base.push(time(['-e', '0']));
    for (const [name, args] of cases) samples.get(name)?.push(time(args));
  }
  const b = median(base);
  baselines.push(b);
  for (const [name] of cases) {
    const m = median(samples.get(name) ?? []);
    absolute.get(name)?.push(m);
    ratios.get(name)?.push(m / b);
  }
}

console.log(
  `node -e 0 (baseline): ${median(baselines).toFixed(1)} ms median over ${rounds} rounds of ${runs} runs (rounds ${Math.min(...baselines).toFixed(1)}..${Math.max(...baselines).toFixed(1)} ms)`,
);
for (const [name] of cases) {
  const rs = ratios.get(name) ?? [];
  const ms = absolute.get(name) ?? [];
  console.log(
    `${name.padEnd(48)} ${median(ms).toFixed(1).padStart(6)} ms  ${median(rs).toFixed(2)}x baseline (rounds ${Math.min(...rs).toFixed(2)}x..${Math.max(...rs).toFixed(2)}x)`,
  );
}
server.child.kill();
rmSync(configDir, { recursive: true, force: true });
