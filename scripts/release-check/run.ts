import { spawn } from 'node:child_process';
import { delimiter, dirname, sep } from 'node:path';

/** One child process, its output captured; rejects with the output when it fails or runs too long. */
export interface RunOptions {
  cwd: string;
  /** The child's whole environment (see `userEnv`). @default this process's environment */
  env?: Record<string, string>;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** @default 300_000 */
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * The environment for commands run as a user outside the workspace would run them: this process's
 * environment (it carries the machine's npm registry and certificate settings), minus what `pnpm run`
 * adds for the workspace (its `node_modules/.bin` on PATH, the package's npm_package_* variables).
 */
export function userEnv(root: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(npm_package_|npm_lifecycle_|PNPM_|npm_config_user_agent$|npm_execpath$|INIT_CWD$)/i.test(key))
      continue;
    env[key] = value;
  }
  // Drop the workspace's `node_modules/.bin` folders, and put this Node first: the machine's default
  // `node` may be older than the one running the check (a toolchain installed under the checkout).
  const nodeDir = dirname(process.execPath);
  const dirs = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !(dir.startsWith(root) && dir.includes(`${sep}node_modules${sep}`)) && dir !== nodeDir);
  env.PATH = [nodeDir, ...dirs].join(delimiter);
  return { ...env, ...extra };
}

export class CommandError extends Error {
  override name = 'CommandError';
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const timeoutMs = options.timeoutMs ?? 300_000;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CommandError(`${command} could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else {
        const why =
          signal === 'SIGKILL' ? `ran longer than ${timeoutMs / 1000} s` : `exited with ${code ?? signal}`;
        reject(
          new CommandError(`${command} ${args.join(' ')} ${why} (in ${options.cwd})\n${stdout}\n${stderr}`),
        );
      }
    });
    if (child.stdin !== null) {
      // A child that exits without reading its input closes the pipe; its exit code tells the story.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}
