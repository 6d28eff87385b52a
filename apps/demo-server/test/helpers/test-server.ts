import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type RunningServer, type StartServerOptions, startServer } from '../../src/server.js';

/**
 * Starts a server for a test file: SQLite in memory by default, or PostgreSQL when
 * TEST_DATABASE_URL is set, each server in its own fresh schema (dropped on close), so runs and
 * files never see each other's rows. `fastArgon2: true` lowers the password hashing cost for the
 * suite's speed; it is an explicit test option, never a default.
 */
export interface TestServerOptions extends StartServerOptions {
  fastArgon2?: boolean;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export async function startTestServer(options: TestServerOptions = {}): Promise<RunningServer> {
  const { fastArgon2, ...rest } = options;
  // Tests check every answer against the OpenAPI document and every event against the contract.
  const opts: StartServerOptions = { logLevel: 'silent', strictResponses: true, strictEvents: true, ...rest };
  if (fastArgon2) opts.unsafeTestArgon2 = { memoryKiB: 256, passes: 1, parallelism: 1 };
  let schema: string | undefined;
  if (TEST_DATABASE_URL !== undefined && opts.databaseUrl === undefined && opts.dataDir === undefined) {
    // A schema the caller named outlives the server (restart tests); the caller drops it.
    if (opts.databaseSchema === undefined) schema = `t_${randomBytes(6).toString('hex')}`;
    opts.databaseUrl = TEST_DATABASE_URL;
    opts.databaseSchema = opts.databaseSchema ?? schema;
    opts.memory = false;
  }
  const server = await startServer(opts);
  if (schema === undefined) return server;
  const close = server.close.bind(server);
  server.close = async () => {
    await close();
    await dropSchema(schema);
  };
  return server;
}

export async function dropSchema(schema: string): Promise<void> {
  if (TEST_DATABASE_URL === undefined) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export function integrator(appKey: string, secret: string): string {
  return `Integrator ${Buffer.from(`${appKey}:${secret}`, 'utf8').toString('base64')}`;
}
