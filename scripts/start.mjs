#!/usr/bin/env node
// `pnpm start [-- flags]`: builds the demo server, the CLI and the packages they use (turbo, cached, quiet),
// then runs its bin with the flags given after `--` (e.g. `pnpm start -- --port 9000 --memory`).
// Build output is shown only when the build fails. Signals are passed to the server so Ctrl-C
// shuts it down gracefully. CALLWIRE_SKIP_BUILD=1 skips the build step.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'apps', 'demo-server', 'dist', 'bin.mjs');
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();

function build() {
  return new Promise((resolve) => {
    const turbo = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo');
    const child = spawn(
      turbo,
      [
        'run',
        'build',
        '--filter=@callwire/demo-server...',
        '--filter=@callwire/cli...',
        '--output-logs=errors-only',
        '--log-prefix=none',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', (error) => resolve({ ok: false, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

if (process.env.CALLWIRE_SKIP_BUILD !== '1' || !existsSync(bin)) {
  process.stderr.write('Building the demo server…\n');
  const result = await build();
  if (!result.ok) {
    process.stderr.write(`${result.output}\nThe build failed (output above).\n`);
    process.exit(1);
  }
}

const server = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('close', (code, signal) => {
  process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
});
