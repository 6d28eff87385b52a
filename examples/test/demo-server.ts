import { DEMO_ACCOUNTS, type RunningServer, startServer } from '@callwire/demo-server';

export const ACME = DEMO_ACCOUNTS.acme.uuid;
export const BAYSIDE = DEMO_ACCOUNTS.bayside.uuid;
export const ALICE = { username: 'alice@example.com', password: 'alice-pass-1' };
export const BOB = { username: 'bob@example.com', password: 'bob-pass-1' };

/**
 * The real demo server with its demo data, on a free port, in memory. Password hashing is made cheap
 * for the tests' speed: an explicit test option, never the server's default.
 */
export function startDemoServer(): Promise<RunningServer> {
  return startServer({
    seed: true,
    logLevel: 'silent',
    unsafeTestArgon2: { memoryKiB: 256, passes: 1, parallelism: 1 },
  });
}

/** Collects what an example logs instead of printing it. */
export function lines(): string[] & { log: (line: string) => void } {
  const collected: string[] = [];
  return Object.assign(collected, { log: (line: string) => void collected.push(line) });
}
