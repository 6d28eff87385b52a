import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const cliBin = join(repoRoot, 'apps/cli/dist/bin.cjs');

/** Builds the CLI bundle as CI does (turbo skips it when nothing changed). */
export async function buildCli(): Promise<void> {
  await exec(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@callwire/cli', '--output-logs=errors-only'],
    {
      cwd: repoRoot,
    },
  );
}

export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A user's machine for the built `callwire`: a private config folder, and a bin folder with a
 * `callwire` executable on PATH (what the completion scripts and a terminal call).
 */
export interface CliHome {
  root: string;
  binDir: string;
  env: Record<string, string>;
  /** Runs `callwire …` as a subprocess; `onStderr` sees stderr as it arrives (return true to kill it). */
  run(
    args: string[],
    options?: {
      input?: string;
      env?: Record<string, string>;
      onStderr?: (text: string, child: ChildProcess) => void;
    },
  ): Promise<BinResult>;
  cleanup(): Promise<void>;
}

export async function cliHome(baseUrl: string): Promise<CliHome> {
  const root = await mkdtemp(join(tmpdir(), 'callwire-home-'));
  const binDir = join(root, 'bin');
  await mkdir(binDir);
  const wrapper = join(binDir, 'callwire');
  await writeFile(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${cliBin}" "$@"\n`);
  await chmod(wrapper, 0o755);
  const env: Record<string, string> = {
    PATH: `${binDir}:${process.env.PATH ?? ''}`,
    HOME: root,
    CALLWIRE_CONFIG_DIR: join(root, 'config'),
    CALLWIRE_BASE_URL: baseUrl,
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
  };
  return {
    root,
    binDir,
    env,
    run: (args, options = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [cliBin, ...args], { env: { ...env, ...options.env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => {
          stderr += d;
          options.onStderr?.(stderr, child);
        });
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
        child.stdin.end(options.input ?? '');
      }),
    // A shell that was just killed in a terminal may still be writing its files: retry briefly.
    cleanup: () => rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }),
  };
}

/** Logs in with the password on stdin; throws with the output when it fails. */
export async function login(home: CliHome, username: string, password: string, profile?: string) {
  const args = [
    ...(profile ? ['--profile', profile] : []),
    'login',
    '--username',
    username,
    '--password-stdin',
  ];
  const result = await home.run(args, { input: `${password}\n` });
  if (result.code !== 0) throw new Error(`login failed: ${result.stderr}`);
}

/** Polls `check` until it returns a value (not undefined), or fails after `ms` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
