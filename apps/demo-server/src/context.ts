import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { ServerConfig } from './config.js';
import type { Storage } from './db/connect.js';
import type { Database, DialectName } from './db/schema.js';
import type { EventService } from './events/event-service.js';
import type { EventsTuning } from './events/options.js';
import type { OutboundHttp } from './http/outbound.js';
import type { CredentialVerifier } from './identity/credentials.js';
import type { Sessions } from './identity/sessions.js';
import type { ConnectionHub } from './realtime/connection-hub.js';
import type { TelephonyTuning } from './telephony/area.js';
import type { SimRuntime } from './telephony/sim/runtime.js';
import type { StepStore } from './telephony/sim/step-store.js';
import type { StepWorker } from './telephony/sim/step-worker.js';
import type { Telephony } from './telephony/telephony.js';

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
 * The services the areas offer each other (and tests), each present when the area providing it is
 * mounted: what an area's `setup` returns in `provides` (see areas.ts).
 */
export interface AreaServices {
  /** Identity: login, refresh, masquerade, logout, API token revocation. */
  sessions: Sessions;
  /** Events: the event log (`transaction(async (trx, emit) => …)`, `emit(event)`, reads). */
  events: EventService<Database>;
  /** Events: every websocket of this instance. */
  realtime: ConnectionHub;
  /** Events: whether a user has an authenticated websocket on any instance (`wss_online`). */
  presence: { isOnline(userId: string): Promise<boolean> };
  /** Telephony: numbers, messaging, calls, SIP and the simulated network. */
  telephony: Telephony;
  /**
   * Telephony: the server's one step worker, its store and time; other areas register their step
   * kinds on it (the events area: webhook delivery attempts).
   */
  steps: { worker: StepWorker; store: StepStore; runtime: SimRuntime };
}

/** The startServer options each area reads, typed per area. */
export interface AreaTuning {
  events: EventsTuning;
  telephony: TelephonyTuning;
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
  /** The four credential doors, their caches and limits (the request pipeline authenticates with it). */
  auth: CredentialVerifier;
  signals: EventEmitter<IdentitySignals>;
  /** Every request to a URL someone gave the server (webhooks, callbacks, call flows) goes through it. */
  outbound: OutboundHttp;
  /** What the mounted areas provide (see {@link AreaServices}). */
  services: Partial<AreaServices>;
  /** Each area's tuning, as given to startServer. */
  tuning: AreaTuning;
}

export function createSignals(): EventEmitter<IdentitySignals> {
  const signals = new EventEmitter<IdentitySignals>();
  signals.setMaxListeners(50);
  return signals;
}
