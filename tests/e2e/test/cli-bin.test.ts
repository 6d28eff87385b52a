import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const cliDir = fileURLToPath(new URL('../../../apps/cli/', import.meta.url));

describe('the built callwire bin', () => {
  it('builds and starts: --version, --help, and a usage error exits 2 without loading the SDK', async () => {
    // Build the bin as CI would (tsdown, a few hundred ms), then run it as a user does.
    await exec('pnpm', ['run', 'build'], { cwd: cliDir });
    const bin = `${cliDir}dist/bin.js`;
    const version = await exec(process.execPath, [bin, '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await exec(process.execPath, [bin, '--help'], { env: { ...process.env, NO_COLOR: '1' } });
    expect(help.stdout).toContain('Usage: callwire');
    const usage = await exec(process.execPath, [
      bin,
      'reports',
      'call-data',
      '--start',
      'yesterday',
      '--end',
      '2026-01-01',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect((usage as { code: number }).code).toBe(2);
  }, 60_000);
});
