import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { AREAS, type Area } from './areas.js';
import {
  type AccountScopeMode,
  DEFAULT_CONFIG,
  type LogLevel,
  type RateLimitConfig,
  type ServerConfig,
  validateConfig,
} from './config.js';
import type { ServerClock, ServerContext } from './context.js';
import { openStorage } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { MIGRATIONS } from './db/migrations/index.js';
import type { EventsTuning } from './events/options.js';
import type { OutboundOptions } from './http/outbound.js';
import type { Argon2Params } from './identity/auth/passwords.js';
import { seedDemoIdentity } from './seed/demo-identity.js';
import type { TelephonyTuning } from './telephony/area.js';

export interface StartServerOptions extends EventsTuning, TelephonyTuning {
  /** Port to listen on; 0 takes any free port (read the chosen one from `RunningServer.port`). @default 0 */
  port?: number;
  /** Address to listen on. @default '127.0.0.1' */
  host?: string;
  /** A throwaway in-memory SQLite database. @default true unless `dataDir` or `databaseUrl` is given */
  memory?: boolean;
  /**
   * Folder of the SQLite database file; ignored with `memory` or `databaseUrl`.
   * @default '.callwire-data' in the working directory
   */
  dataDir?: string;
  /** `postgres://…`: keep the data in PostgreSQL instead of SQLite. @default undefined (SQLite) */
  databaseUrl?: string;
  /**
   * PostgreSQL schema to keep the tables in (tests isolate themselves in one each).
   * @default the connection's search path
   */
  databaseSchema?: string;
  /** Load the demo accounts, users, numbers and integrator. @default true */
  seed?: boolean;
  /** The simulated network runs this many times faster than real time. @default 1 */
  simSpeed?: number;
  /** Stands in for the wall clock (tests move time instead of sleeping). @default the system clock */
  clock?: ServerClock;
  /** Session token lifetime in seconds. @default 3600 */
  tokenLifetime?: number;
  /**
   * A user of several accounts who names none: `strict` answers `account_required`, `lenient` acts
   * on the user's default account. @default 'strict'
   */
  accountScope?: AccountScopeMode;
  /** Lowest level of log line written; an in-process server prints nothing unless asked. @default 'silent' */
  logLevel?: LogLevel;
  /**
   * Request and failed-login limits; each field left out keeps its default.
   * @default 1000 requests per principal per minute; 5 failed logins per email and IP, 100 per IP, in 15 min
   */
  rateLimit?: Partial<RateLimitConfig>;
  /** How long a verified credential is trusted without checking it again, in ms (at most 60 s). @default 60000 */
  credentialCacheTtlMs?: number;
  /**
   * How long events are kept for replay and `GET /rest/event`, in ms (as `--event-retention`).
   * @default 86400000 (24 h)
   */
  eventRetentionMs?: number;
  /**
   * Refuse loopback and private addresses for outbound requests too; link-local and cloud metadata
   * addresses are always refused. @default false
   */
  blockPrivateNetwork?: boolean;
  /**
   * Tests only: cheaper argon2 parameters. Never lowered by default; the bin has no flag for it.
   * @default OWASP's argon2id parameters (19 MiB, 2 passes, parallelism 1)
   */
  unsafeTestArgon2?: Partial<Argon2Params>;
  /**
   * The built console to serve at `/` (tests point it at the console package's build).
   * @default the console built into this package
   */
  consoleDir?: string;
  /** Where log lines go. @default process.stdout */
  logStream?: { write(line: string): unknown };
  /** A complete configuration (from parseConfig); the options above override it. @default the defaults above */
  config?: ServerConfig;
  /** Areas to mount. @default every area */
  areas?: readonly Area[];
  /**
   * Answer 500 naming the route for a status the OpenAPI document does not declare for it, so a
   * test meets an undocumented answer at once. @default false
   */
  strictResponses?: boolean;
  /** Stands in for DNS on outbound requests (tests: a name resolving somewhere else later). @default DNS */
  outboundResolve?: OutboundOptions['resolve'];
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  app: FastifyInstance;
  ctx: ServerContext;
  config: ServerConfig;
  /** Stops taking requests, finishes those in flight, stops the areas, closes the database. Idempotent. */
  close(): Promise<void>;
}

export function resolveOptions(options: StartServerOptions): ServerConfig {
  const base: ServerConfig = options.config
    ? structuredClone(options.config)
    : { ...structuredClone(DEFAULT_CONFIG), port: 0, logLevel: 'silent' };
  if (options.config === undefined) {
    base.memory = options.dataDir === undefined && options.databaseUrl === undefined;
  }
  if (options.port !== undefined) base.port = options.port;
  if (options.host !== undefined) base.host = options.host;
  if (options.memory !== undefined) base.memory = options.memory;
  if (options.dataDir !== undefined) base.dataDir = options.dataDir;
  if (options.databaseUrl !== undefined) base.databaseUrl = options.databaseUrl;
  if (options.databaseSchema !== undefined) base.databaseSchema = options.databaseSchema;
  if (options.seed !== undefined) base.seed = options.seed;
  if (options.simSpeed !== undefined) base.simSpeed = options.simSpeed;
  if (options.tokenLifetime !== undefined) base.tokenLifetime = options.tokenLifetime;
  if (options.accountScope !== undefined) base.accountScope = options.accountScope;
  if (options.logLevel !== undefined) base.logLevel = options.logLevel;
  if (options.rateLimit !== undefined) base.rateLimit = { ...base.rateLimit, ...options.rateLimit };
  if (options.credentialCacheTtlMs !== undefined) base.credentialCacheTtlMs = options.credentialCacheTtlMs;
  if (options.eventRetentionMs !== undefined) base.eventRetentionMs = options.eventRetentionMs;
  if (options.blockPrivateNetwork !== undefined) base.blockPrivateNetwork = options.blockPrivateNetwork;
  if (options.consoleDir !== undefined) base.consoleDir = options.consoleDir;
  if (options.unsafeTestArgon2 !== undefined) base.argon2 = { ...base.argon2, ...options.unsafeTestArgon2 };
  return validateConfig(base);
}

/** Opens the database, migrates, seeds, listens. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = resolveOptions(options);
  const storage = await openStorage({
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    memory: config.memory,
    dataDir: config.dataDir,
  });
  const areas = options.areas ?? AREAS;
  let app: FastifyInstance | undefined;
  try {
    await migrate(
      storage.db as never,
      storage.dialect,
      MIGRATIONS,
      options.clock ? () => options.clock!.now() : Date.now,
    );
    const built = await buildApp(config, {
      storage,
      clock: options.clock,
      areas,
      tuning: {
        events: {
          realtime: options.realtime,
          webhooks: options.webhooks,
          strictEvents: options.strictEvents,
        },
        telephony: { sim: options.sim },
      },
      strictResponses: options.strictResponses ?? false,
      outboundResolve: options.outboundResolve,
      logStream: options.logStream,
    });
    app = built.app;
    const { ctx, idempotency, mounted } = built;
    if (config.seed) {
      const demo = await seedDemoIdentity(ctx);
      for (const area of mounted) await area.seed?.(demo);
    }
    await app.listen({ port: config.port, host: config.host });
    for (const area of mounted) await area.start?.();
    const sweeper = setInterval(() => {
      idempotency
        .sweep()
        .catch((error: unknown) => ctx.logger.warn({ err: error }, 'idempotency sweep failed'));
    }, 10 * 60_000);
    sweeper.unref();
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const urlHost = shownHost.includes(':') ? `[${shownHost}]` : shownHost;
    let closing: Promise<void> | undefined;
    const running: RunningServer = {
      url: `http://${urlHost}:${port}`,
      port,
      host: config.host,
      app,
      ctx,
      config,
      close() {
        closing ??= (async () => {
          clearInterval(sweeper);
          try {
            // Stops accepting, lets in-flight requests finish (their writes are committed before
            // their responses are sent), then areas stop their timers, then the database closes.
            // Keep-alive connections that become idle once their last response is out are closed
            // right away rather than when their keep-alive timer runs out.
            const idle = setInterval(() => built.app.server.closeIdleConnections(), 50);
            try {
              await built.app.close();
            } finally {
              clearInterval(idle);
            }
            for (const area of [...mounted].reverse()) await area.close?.();
            ctx.outbound.close();
          } finally {
            await storage.close();
          }
        })();
        return closing;
      },
    };
    return running;
  } catch (error) {
    if (app !== undefined) await app.close().catch(() => {});
    await storage.close().catch(() => {});
    throw error;
  }
}
