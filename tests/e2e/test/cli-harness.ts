import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { run } from '@callwire/cli';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunner {
  dir: string;
  /** Runs `callwire …` in-process against the test server with this runner's private config folder. */
  (
    argv: string[],
    options?: {
      input?: string;
      env?: Record<string, string | undefined>;
      signal?: AbortSignal;
      /** Sees stderr as it is written (to wait for "Listening…" before triggering an event). */
      onStderr?: (text: string) => void;
    },
  ): Promise<CliResult>;
  cleanup(): Promise<void>;
}

/** A CLI bound to one server and one fresh config folder (so tests never see the real home). */
export async function cliFor(baseUrl: string): Promise<CliRunner> {
  const root = await mkdtemp(join(tmpdir(), 'callwire-e2e-'));
  const dir = join(root, 'callwire');
  const runner = (async (argv, options = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await run(argv, {
      env: { CALLWIRE_CONFIG_DIR: dir, CALLWIRE_BASE_URL: baseUrl, NO_COLOR: '1', ...options.env },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: {
        write: (s: string) => {
          stderr += s;
          options.onStderr?.(stderr);
          return true;
        },
      },
      stdin: Readable.from(options.input === undefined ? [] : [options.input]),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { code, stdout, stderr };
  }) as CliRunner;
  runner.dir = dir;
  runner.cleanup = () => rm(root, { recursive: true, force: true });
  return runner;
}

export const BOB = { username: 'bob@example.com', password: 'bob-pass-1' };

export async function loginAs(
  cli: CliRunner,
  user: { username: string; password: string },
): Promise<CliResult> {
  return cli(['login', '--username', user.username, '--password-stdin'], { input: `${user.password}\n` });
}

/** Basic auth header for direct REST calls the test makes itself (simulations). */
export function basic(user: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
}
