import { parseArgs } from 'node:util';
import type { CorsOrigins } from './http/cors.js';

/**
 * Server configuration from command-line flags and environment variables. Flags win over the
 * environment; every value is checked here so that a typo stops the server with a sentence that
 * says what was wrong, instead of a stack trace later.
 */

export type AccountScopeMode = 'strict' | 'lenient';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface RateLimitConfig {
  /** Requests a principal may make per minute; 0 turns the limit off. */
  perPrincipalPerMinute: number;
  /** Failed password checks of one email from one IP within the window before 429. */
  bruteForcePerEmailIp: number;
  /** Failed password checks from one IP within the window before 429. */
  bruteForcePerIp: number;
  /** The counting window for failures (15 min). */
  bruteForceWindowMs: number;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** Folder for the SQLite database; ignored with `memory` or `databaseUrl`. */
  dataDir: string;
  /** A throwaway in-memory SQLite database. */
  memory: boolean;
  /** `postgres://…`: use PostgreSQL instead of SQLite. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  databaseSchema: string | undefined;
  accountScope: AccountScopeMode;
  /** Session token lifetime in seconds (3600). */
  tokenLifetime: number;
  /** Refresh token lifetime in seconds (30 days). */
  refreshTokenLifetime: number;
  /** The simulated network runs this many times faster than real time. */
  simSpeed: number;
  seed: boolean;
  logLevel: LogLevel;
  rateLimit: RateLimitConfig;
  /** How long the verified-credential cache keeps an entry (<= 60 s). */
  credentialCacheTtlMs: number;
  /** Idempotency records are kept this long (24 h). */
  idempotencyTtlMs: number;
  /** How long events are kept for replay and `GET /rest/event` (24 h); read by the events area. */
  eventRetentionMs: number;
  /**
   * Outbound requests (webhooks, SMS callbacks, call-flow URLs) always refuse link-local and cloud
   * metadata addresses; with this on they also refuse loopback and private networks (false: local
   * development posts to `localhost`).
   */
  blockPrivateNetwork: boolean;
  /** Largest request body in bytes (1 MiB). */
  bodyLimit: number;
  /** Deepest JSON nesting accepted (32). */
  maxJsonDepth: number;
  /**
   * argon2id parameters. The defaults are OWASP's (m = 19 MiB, t = 2, p = 1); tests may lower them
   * only through an explicit option of startServer, never by default.
   */
  argon2: { memoryKiB: number; passes: number; parallelism: number };
  /**
   * Browser origins allowed by CORS: `*` (any, the default: auth is by header, never by cookie) or
   * a list of exact origins such as `http://localhost:5173`.
   */
  corsOrigins: CorsOrigins;
  /**
   * The built console served at `/` (a folder with `index.html` and `assets/`).
   * @default undefined: the console built into this package (`dist/console`)
   */
  consoleDir: string | undefined;
}

export const DEFAULT_ARGON2 = { memoryKiB: 19 * 1024, passes: 2, parallelism: 1 } as const;

export const DEFAULT_CONFIG: ServerConfig = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: '.callwire-data',
  memory: false,
  databaseUrl: undefined,
  databaseSchema: undefined,
  accountScope: 'strict',
  tokenLifetime: 3600,
  refreshTokenLifetime: 30 * 24 * 3600,
  simSpeed: 1,
  seed: true,
  logLevel: 'info',
  rateLimit: {
    perPrincipalPerMinute: 1000,
    bruteForcePerEmailIp: 5,
    bruteForcePerIp: 100,
    bruteForceWindowMs: 15 * 60 * 1000,
  },
  credentialCacheTtlMs: 60_000,
  idempotencyTtlMs: 24 * 3600 * 1000,
  eventRetentionMs: 24 * 3600 * 1000,
  blockPrivateNetwork: false,
  bodyLimit: 1024 * 1024,
  maxJsonDepth: 32,
  argon2: { ...DEFAULT_ARGON2 },
  corsOrigins: '*',
  consoleDir: undefined,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const USAGE = `Usage: callwire-demo-server [options]

Options (environment variable in brackets):
  --port <n>                 port to listen on, 0 for any free port (8787) [PORT]
  --host <addr>              address to listen on (127.0.0.1) [HOST]
  --data-dir <dir>           folder of the SQLite database [CALLWIRE_DATA_DIR]; without it:
                             .callwire-data/ at the root of a Callwire repository checkout,
                             else callwire/ in your data directory ($XDG_DATA_HOME or
                             ~/.local/share on Linux)
  --memory                   throwaway in-memory database [CALLWIRE_MEMORY=1]
                             PostgreSQL instead of SQLite: [DATABASE_URL=postgres://…]
  --account-scope <mode>     strict (default) or lenient [CALLWIRE_ACCOUNT_SCOPE]
  --token-lifetime <s>       session token lifetime in seconds (3600) [CALLWIRE_TOKEN_LIFETIME]
  --sim-speed <n>            simulated network speed factor (1) [CALLWIRE_SIM_SPEED]
  --seed / --no-seed         load the demo data (default: yes) [CALLWIRE_SEED=0|1]
  --log-level <level>        fatal|error|warn|info|debug|trace|silent (info) [LOG_LEVEL]
  --rate-limit <n>           requests per principal per minute, 0 = off (1000) [CALLWIRE_RATE_LIMIT]
  --brute-force-email-ip <n> failed logins per email and IP in 15 min (5) [CALLWIRE_BRUTE_FORCE_EMAIL_IP]
  --brute-force-ip <n>       failed logins per IP in 15 min (100) [CALLWIRE_BRUTE_FORCE_IP]
  --cors-origin <origins>    browser origins allowed by CORS: * (default) or a comma-separated
                             list such as http://localhost:5173 [CALLWIRE_CORS_ORIGIN]
  --event-retention <dur>    how long events are kept for replay, as a number and a unit
                             s, m, h or d: 90m, 36h, 7d (24h; 1m to 365d) [CALLWIRE_EVENT_RETENTION]
  --block-private-network    webhooks, SMS callbacks and call-flow URLs may not reach loopback or
                             private addresses either (default: only link-local and cloud
                             metadata addresses are refused) [CALLWIRE_BLOCK_PRIVATE_NETWORK=1]
  -h, --help                 show this help
`;

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function positiveNumber(name: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new ConfigError(`${name} must be a number greater than 0, got "${raw}"`);
  }
  return n;
}

/** `*` or a comma-separated list of origins (`scheme://host[:port]`), normalised as browsers send them. */
export function parseCorsOrigins(name: string, raw: string): CorsOrigins {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) {
    throw new ConfigError(
      `${name} needs * or a comma-separated list of origins such as http://localhost:5173`,
    );
  }
  if (items.includes('*')) {
    if (items.length > 1) throw new ConfigError(`${name}: * allows every origin, give it alone`);
    return '*';
  }
  return items.map((item) => {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    if (
      url === undefined ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.pathname !== '/' ||
      url.search !== '' ||
      url.hash !== '' ||
      url.username !== '' ||
      url.password !== ''
    ) {
      throw new ConfigError(
        `${name}: "${item}" is not an origin; write scheme://host[:port] such as http://localhost:5173`,
      );
    }
    return url.origin;
  });
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MIN_RETENTION_MS = 60_000;
const MAX_RETENTION_MS = 365 * 86_400_000;

/** A duration as a whole number and a unit (`90m`, `36h`, `7d`), in milliseconds. */
export function parseDuration(name: string, raw: string, minMs: number, maxMs: number): number {
  const match = /^(\d{1,9})\s*([smhd])$/i.exec(raw.trim());
  if (match === null) {
    throw new ConfigError(
      `${name} must be a whole number and a unit s, m, h or d (such as 90m, 36h or 7d), got "${raw}"`,
    );
  }
  const ms = Number(match[1]) * (DURATION_UNITS[(match[2] as string).toLowerCase()] as number);
  if (ms < minMs || ms > maxMs) {
    throw new ConfigError(
      `${name} must be between ${formatDuration(minMs)} and ${formatDuration(maxMs)}, got "${raw}"`,
    );
  }
  return ms;
}

function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = DURATION_UNITS[unit] as number;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function bool(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigError(`${name} must be 1/0, true/false or yes/no, got "${raw}"`);
}

export function validateConfig(config: ServerConfig): ServerConfig {
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new ConfigError(`port must be between 0 and 65535, got ${config.port}`);
  }
  if (config.accountScope !== 'strict' && config.accountScope !== 'lenient') {
    throw new ConfigError(
      `account scope must be "strict" or "lenient", got "${String(config.accountScope)}"`,
    );
  }
  if (!LOG_LEVELS.includes(config.logLevel)) {
    throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}, got "${config.logLevel}"`);
  }
  if (!Number.isInteger(config.tokenLifetime) || config.tokenLifetime < 60) {
    throw new ConfigError(`token lifetime must be a whole number of seconds, at least 60`);
  }
  if (!(config.simSpeed > 0) || !Number.isFinite(config.simSpeed)) {
    throw new ConfigError(`sim speed must be a number greater than 0`);
  }
  if (config.credentialCacheTtlMs < 0 || config.credentialCacheTtlMs > 60_000) {
    throw new ConfigError('the verified-credential cache TTL must be between 0 and 60 s');
  }
  if (config.databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  if (config.databaseSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(config.databaseSchema)) {
    throw new ConfigError('the PostgreSQL schema name must be lower-case letters, digits and _');
  }
  if (
    !Number.isInteger(config.eventRetentionMs) ||
    config.eventRetentionMs < MIN_RETENTION_MS ||
    config.eventRetentionMs > MAX_RETENTION_MS
  ) {
    throw new ConfigError('the event retention must be between 1 minute and 365 days');
  }
  if (
    config.corsOrigins !== '*' &&
    !(Array.isArray(config.corsOrigins) && config.corsOrigins.every((o) => typeof o === 'string'))
  ) {
    throw new ConfigError('the CORS origins must be "*" or a list of origins');
  }
  return config;
}

export interface ParsedCommandLine {
  config: ServerConfig;
  help: boolean;
  /** `--data-dir` or `CALLWIRE_DATA_DIR` was given; otherwise the caller picks the default folder. */
  dataDirGiven: boolean;
}

/** Reads flags (after the program name) and environment variables into a checked configuration. */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ParsedCommandLine {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  const config: ServerConfig = structuredClone(DEFAULT_CONFIG);
  const pick = (flag: string | undefined, envName: string): string | undefined =>
    flag ?? (env[envName] !== undefined && env[envName] !== '' ? env[envName] : undefined);

  const port = pick(values.port, 'PORT');
  if (port !== undefined) config.port = integer('--port', port, 0, 65535);
  const host = pick(values.host, 'HOST');
  if (host !== undefined) config.host = host;
  const dataDir = pick(values['data-dir'], 'CALLWIRE_DATA_DIR');
  if (dataDir !== undefined) config.dataDir = dataDir;
  if (values.memory === true) config.memory = true;
  else if (env.CALLWIRE_MEMORY !== undefined) config.memory = bool('CALLWIRE_MEMORY', env.CALLWIRE_MEMORY);
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') config.databaseUrl = url;
  const scope = pick(values['account-scope'], 'CALLWIRE_ACCOUNT_SCOPE');
  if (scope !== undefined) {
    if (scope !== 'strict' && scope !== 'lenient') {
      throw new ConfigError(`--account-scope must be "strict" or "lenient", got "${scope}"`);
    }
    config.accountScope = scope;
  }
  const lifetime = pick(values['token-lifetime'], 'CALLWIRE_TOKEN_LIFETIME');
  if (lifetime !== undefined)
    config.tokenLifetime = integer('--token-lifetime', lifetime, 60, 30 * 24 * 3600);
  const speed = pick(values['sim-speed'], 'CALLWIRE_SIM_SPEED');
  if (speed !== undefined) config.simSpeed = positiveNumber('--sim-speed', speed);
  if (values.seed === true && values['no-seed'] === true) {
    throw new ConfigError('--seed and --no-seed contradict each other: give one');
  }
  if (values['no-seed'] === true) config.seed = false;
  else if (values.seed === true) config.seed = true;
  else if (env.CALLWIRE_SEED !== undefined) config.seed = bool('CALLWIRE_SEED', env.CALLWIRE_SEED);
  const level = pick(values['log-level'], 'LOG_LEVEL');
  if (level !== undefined) {
    if (!LOG_LEVELS.includes(level as LogLevel)) {
      throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
    }
    config.logLevel = level as LogLevel;
  }
  const rate = pick(values['rate-limit'], 'CALLWIRE_RATE_LIMIT');
  if (rate !== undefined) config.rateLimit.perPrincipalPerMinute = integer('--rate-limit', rate, 0, 1e9);
  const bfEmail = pick(values['brute-force-email-ip'], 'CALLWIRE_BRUTE_FORCE_EMAIL_IP');
  if (bfEmail !== undefined) {
    config.rateLimit.bruteForcePerEmailIp = integer('--brute-force-email-ip', bfEmail, 1, 1e9);
  }
  const bfIp = pick(values['brute-force-ip'], 'CALLWIRE_BRUTE_FORCE_IP');
  if (bfIp !== undefined) config.rateLimit.bruteForcePerIp = integer('--brute-force-ip', bfIp, 1, 1e9);
  const cors = pick(values['cors-origin'], 'CALLWIRE_CORS_ORIGIN');
  if (cors !== undefined) config.corsOrigins = parseCorsOrigins('--cors-origin', cors);
  const retention = pick(values['event-retention'], 'CALLWIRE_EVENT_RETENTION');
  if (retention !== undefined) {
    config.eventRetentionMs = parseDuration(
      '--event-retention',
      retention,
      MIN_RETENTION_MS,
      MAX_RETENTION_MS,
    );
  }
  if (values['block-private-network'] === true) config.blockPrivateNetwork = true;
  else if (env.CALLWIRE_BLOCK_PRIVATE_NETWORK !== undefined) {
    config.blockPrivateNetwork = bool('CALLWIRE_BLOCK_PRIVATE_NETWORK', env.CALLWIRE_BLOCK_PRIVATE_NETWORK);
  }
  return { config: validateConfig(config), help: values.help === true, dataDirGiven: dataDir !== undefined };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      memory: { type: 'boolean' },
      'account-scope': { type: 'string' },
      'token-lifetime': { type: 'string' },
      'sim-speed': { type: 'string' },
      seed: { type: 'boolean' },
      'no-seed': { type: 'boolean' },
      'log-level': { type: 'string' },
      'rate-limit': { type: 'string' },
      'brute-force-email-ip': { type: 'string' },
      'brute-force-ip': { type: 'string' },
      'cors-origin': { type: 'string' },
      'event-retention': { type: 'string' },
      'block-private-network': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
