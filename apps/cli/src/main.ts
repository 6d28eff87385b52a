import { run } from './run.js';

/** The `callwire` process: real streams, Ctrl-C handling, and the exit code of the run. */
export async function main(): Promise<void> {
  // Ctrl-C stops long-running commands (events tail/forward, bulk) cleanly; a second one exits at once.
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });

  // `callwire events tail | head -3`: the reader went away; stop quietly like other Unix tools.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }

  process.exitCode = await run(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    signal: controller.signal,
  });
}
