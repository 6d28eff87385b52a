// Startup benchmark: how long `callwire` takes to start, as a ratio of a bare `node` start measured
// in the same run (spawn cost dominates both, so the ratio is what the CLI adds). Run after a build:
// `pnpm --filter @callwire/cli bench`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
if (!existsSync(bin)) {
  console.error('dist/bin.js is missing: run `pnpm --filter @callwire/cli build` first');
  process.exit(1);
}
const configDir = mkdtempSync(join(tmpdir(), 'callwire-bench-'));
const env = { ...process.env, CALLWIRE_CONFIG_DIR: join(configDir, 'callwire'), NO_COLOR: '1' };
const runs = Number(process.env.BENCH_RUNS ?? 15);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function measure(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    // cwd: the package, so `-e` imports resolve its dependencies as the bin does.
    spawnSync(process.execPath, args, {
      env,
      stdio: 'ignore',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    if (i >= 2) times.push(performance.now() - start); // two warm-up runs fill the OS file cache
  }
  return median(times);
}

const baseline = measure(['-e', '0']);
const cases: [string, string[]][] = [
  ['callwire --version', [bin, '--version']],
  ['callwire --help', [bin, '--help']],
  ['callwire sms list (not logged in)', [bin, 'sms', 'list']],
  // What every API command adds on top: loading the SDK (types and zod, auth-core, rest-client, ky).
  [
    'import auth-core + rest-client (per API command)',
    [
      '--input-type=module',
      '-e',
      "await import('@callwire/auth-core'); await import('@callwire/rest-client');",
    ],
  ],
];
console.log(`node -e 0 (baseline)  ${baseline.toFixed(1)} ms (median of ${runs})`);
for (const [name, args] of cases) {
  const ms = measure(args);
  console.log(`${name.padEnd(52)} ${ms.toFixed(1)} ms  ${(ms / baseline).toFixed(2)}x baseline`);
}
rmSync(configDir, { recursive: true, force: true });
