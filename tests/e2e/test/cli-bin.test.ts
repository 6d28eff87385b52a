import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'apps/cli/dist/bin.cjs');

/** Runs the built bin as a user would, with stdin, and resolves with its exit code and output. */
function callwire(
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('the built callwire bin', () => {
  let server: { url: string; close(): Promise<void> };
  let configRoot: string;

  beforeAll(async () => {
    // The global setup built the CLI (and the packages it bundles) as CI does.
    server = await startServer({ port: 0, memory: true, seed: true, logLevel: 'silent' });
    configRoot = await mkdtemp(join(tmpdir(), 'callwire-bin-'));
  });
  afterAll(async () => {
    await server?.close();
    if (configRoot) await rm(configRoot, { recursive: true, force: true });
  });

  it('starts: --version, --help, and a usage error exits 2', async () => {
    const version = await callwire(['--version'], {});
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await callwire(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: callwire');
    const usage = await callwire(['reports', 'call-data', '--start', 'yesterday', '--end', '2026-01-01'], {});
    expect(usage.code).toBe(2);
  });

  it('logs in with the password on stdin and lists the accounts as JSON', async () => {
    const env = { CALLWIRE_CONFIG_DIR: join(configRoot, 'callwire'), CALLWIRE_BASE_URL: server.url };
    const login = await callwire(
      ['login', '--username', 'alice@example.com', '--password-stdin'],
      env,
      'alice-pass-1\n',
    );
    expect(login.stderr).toContain('Logged in');
    expect(login.code).toBe(0);
    const accounts = await callwire(['accounts', '--json'], env);
    expect(accounts.code).toBe(0);
    expect((JSON.parse(accounts.stdout) as { name: string; current: boolean }[])[0]).toMatchObject({
      name: 'Acme Dental',
      current: true,
    });
  });

  it('runs in-process from an ES module that imports run() by name from the built package', async () => {
    const index = join(root, 'apps/cli/dist/index.cjs');
    const script = `import { run, EXIT_USAGE } from ${JSON.stringify(index)};
const code = await run(['numbers', 'lst'], { stdout: { write() {} }, stderr: { write() {} } });
process.stdout.write(String(code === EXIT_USAGE));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, CALLWIRE_CONFIG_DIR: join(configRoot, 'in-process') },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toBe('true');
  });
});
