import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from './context.js';
import { eventsArea } from './events/area.js';
import { identityArea } from './identity/area.js';
import type { DemoIdentity } from './seed/demo-identity.js';
import { telephonyArea } from './telephony/area.js';

/**
 * An area of the server (identity, telephony, events/realtime/webhooks) plugs in here. The core
 * calls, in this order: every `setup` (create services, put them on `ctx.services`), registers every
 * `routes` plugin (under the shared hooks: auth, scoping, idempotency, errors), runs every `seed`
 * when demo data is on (after the identity seed, which passes the demo accounts and users), then
 * every `start` once the server listens (timers, workers); `close` runs in reverse order at shutdown
 * after the server stopped taking requests and before the database closes.
 */
export interface Area {
  name: string;
  setup?(ctx: ServerContext): void | Promise<void>;
  routes?: FastifyPluginAsync;
  seed?(ctx: ServerContext, demo: DemoIdentity): Promise<void>;
  start?(ctx: ServerContext): void | Promise<void>;
  close?(ctx: ServerContext): void | Promise<void>;
}

/** Add your area to this list (one line). */
export const AREAS: readonly Area[] = [identityArea, telephonyArea, eventsArea];
