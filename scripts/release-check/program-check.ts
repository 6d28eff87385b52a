import { run } from './run.ts';

/**
 * The Node program of the consumer project (types stripped by Node itself) logs in, sends an SMS and
 * receives that SMS's event over the websocket; it prints what it received.
 */
export async function checkProgram(
  dir: string,
  serverUrl: string,
  env: Record<string, string>,
): Promise<string> {
  const { stdout } = await run(process.execPath, ['program.ts', serverUrl], {
    cwd: dir,
    env,
    timeoutMs: 60_000,
  });
  const line = stdout.trim();
  if (!/^sms \S+: sms\.\w+ \(seq \d+\)$/.test(line)) throw new Error(`the program printed "${line}"`);
  return line;
}
