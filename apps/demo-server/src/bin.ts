#!/usr/bin/env node
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { banner } from './banner.js';
import { ConfigError, parseConfig, USAGE } from './config.js';
import { defaultDataDir, repositoryRoot } from './data-dir.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseConfig>;
  try {
    parsed = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`callwire-demo-server: ${error.message}\nRun with --help for the options.\n`);
      process.exit(2);
    }
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { config } = parsed;
  const moduleDir = dirname(fileURLToPath(import.meta.url));
  if (!parsed.dataDirGiven) config.dataDir = defaultDataDir(moduleDir, process.env).dir;
  const server = await startServer({ config });
  const inRepository = repositoryRoot(moduleDir) !== undefined;
  process.stdout.write(`${banner(server.url, config, server.ctx.storage.location, { inRepository })}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: finishing requests in flight, then closing the database…\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const e = error as { code?: string; message?: string };
  if (e?.code === 'EADDRINUSE') {
    process.stderr.write(
      'callwire-demo-server: the port is in use; pick another with --port (or --port 0)\n',
    );
  } else if (e?.code === 'ECONNREFUSED') {
    process.stderr.write(`callwire-demo-server: cannot reach the database (${e.message ?? ''})\n`);
  } else {
    process.stderr.write(`callwire-demo-server: ${e?.message ?? String(error)}\n`);
  }
  process.exit(1);
});
