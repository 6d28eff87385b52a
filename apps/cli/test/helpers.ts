import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../src/index.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams, a private config dir, and stdin from `input`. */
export async function runCli(
  argv: string[],
  options: { env?: Record<string, string | undefined>; input?: string; configDir: string },
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from(options.input === undefined ? [] : [options.input]);
  const code = await run(argv, {
    env: { CALLWIRE_CONFIG_DIR: options.configDir, NO_COLOR: '1', ...options.env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin,
  });
  return { code, stdout, stderr };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'callwire-cli-'));
  return { dir: join(root, 'callwire'), cleanup: () => rm(root, { recursive: true, force: true }) };
}
