import { type ChildProcess, spawn } from 'node:child_process';

/** A demo server started the way a user starts it, until `stop()`. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>`, read from its banner. */
  url: string;
  /** Everything it printed up to and including the banner. */
  banner: string;
  stop(): Promise<void>;
}

/**
 * Runs `command` (npx …) in its own process group and waits for "Listening on <url>"; the whole
 * group (npx and the server under it) is stopped together, gracefully first.
 */
export function startServerProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${why}\n${output}`)));
    };
    const timer = setTimeout(
      () => fail(`the server did not start within ${options.timeoutMs / 1000} s`),
      options.timeoutMs,
    );
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /Listening on (http:\/\/\S+)/.exec(output);
      // The banner is printed in one write; wait for its last line before reading it.
      if (match?.[1] !== undefined && output.includes('Stop with Ctrl-C.')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve({ url: match[1], banner: output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.once('close', (code) => fail(`the server exited with ${code} before listening`));
  });
}
