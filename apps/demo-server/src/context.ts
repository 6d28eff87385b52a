import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { AuthService } from './auth/auth-service.js';
import type { ServerConfig } from './config.js';
import type { Storage } from './db/connect.js';
import type { Database, DialectName } from './db/schema.js';
import type { OutboundHttp } from './http/outbound.js';

/** The server's notion of "now" (epoch ms). Tests inject a controllable one through startServer. */
export interface ServerClock {
  now(): number;
}

/**
 * Identity happenings other areas react to: the realtime area closes sockets of a revoked
 * credential, the events area emits `account.updated`.
 */
export interface IdentitySignals {
  /** Session or API tokens were revoked (logout, refresh reuse, token DELETE, user disabled…). */
  'credentials.revoked': [{ userId: string; credentialIds: readonly string[] }];
  /** A user's password, api_access, status or memberships changed: cached principals are gone. */
  'user.changed': [{ userId: string }];
  /** An account's own fields changed (not its balance: that is the billing area's event). */
  'account.updated': [{ accountId: string }];
}

/**
 * Services other areas hang on the context. Each area declares its own entries by declaration merging:
 * ```ts
 * declare module '../context.js' { interface ServiceRegistry { telephony: TelephonyService } }
 * ```
 * and sets them in its `setup` (see areas.ts). Entries are optional until set, so read them with
 * `ctx.services.telephony!` only inside routes (setup has run by then).
 */
export interface ServiceRegistry {
  /** Set by the realtime area: whether a user has an authenticated websocket (`wss_online`). */
  presence: { isOnline(userId: string): boolean };
}

export interface ServerContext {
  config: ServerConfig;
  db: Kysely<Database>;
  dialect: DialectName;
  storage: Storage;
  clock: ServerClock;
  /** Shorthand for `clock.now()`. */
  now(): number;
  logger: FastifyBaseLogger;
  auth: AuthService;
  signals: EventEmitter<IdentitySignals>;
  /** Every request to a URL someone gave the server (webhooks, callbacks, call flows) goes through it. */
  outbound: OutboundHttp;
  services: Partial<ServiceRegistry>;
  /** Options given to startServer that this core does not know (e.g. a simulator clock); areas may read them. */
  extra: Readonly<Record<string, unknown>>;
}

export function createSignals(): EventEmitter<IdentitySignals> {
  const signals = new EventEmitter<IdentitySignals>();
  signals.setMaxListeners(50);
  return signals;
}
