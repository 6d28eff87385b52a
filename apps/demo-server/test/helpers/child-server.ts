import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built server (`pnpm --filter @callwire/demo-server build` makes it; `pnpm test` builds first). */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../dist/bin.mjs');
export const hasBuiltServer = existsSync(BIN);

/** A demo-server running as a child process, as it runs for users: `kill()` is `kill -9`. */
export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** SIGKILL: no shutdown, no cleanup; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful shutdown. */
  stop(): Promise<void>;
}

/**
 * Starts `dist/bin.mjs` with `args` and `env` (added to this process's), and resolves with its URL
 * once it prints that it listens. Fails with what it printed if it exits first.
 */
export function spawnServer(args: readonly string[], env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--log-level', 'error', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] === undefined) return;
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve({ url: match[1], process: child, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`the server exited (${code}) before listening:\n${output}`)),
    );
  });
}
