import type { FastifyPluginAsync } from 'fastify';
import type { AreaServices, ServerContext } from './context.js';
import { eventsArea } from './events/area.js';
import { identityArea } from './identity/area.js';
import type { DemoIdentity } from './seed/demo-identity.js';
import { telephonyArea } from './telephony/area.js';

/**
 * What an area built for one server (the result of its `setup`, its composition root): the
 * services it offers the others, its routes (factories given their dependencies), and its lifecycle.
 */
export interface MountedArea {
  /** Services other areas and tests may use; they land on `ctx.services`, typed. */
  provides?: Partial<AreaServices>;
  routes?: FastifyPluginAsync;
  /** Demo data, when seeding is on (after the identity seed, which passes the demo accounts and users). */
  seed?(demo: DemoIdentity): Promise<void>;
  /** Once the server listens: timers, workers. */
  start?(): void | Promise<void>;
  /** At shutdown, in reverse order: after the server stopped taking requests, before the database closes. */
  close?(): void | Promise<void>;
}

/**
 * An area of the server (identity, telephony, events/realtime/webhooks). The core calls every
 * `setup` in list order, registers the routes of each (under the shared hooks: auth, scoping,
 * idempotency, errors), seeds, starts them once the server listens, and closes them in reverse.
 * An area with nothing to build may give `routes` alone (a plugin reading `app.ctx`).
 */
export interface Area {
  name: string;
  setup?(ctx: ServerContext): MountedArea | Promise<MountedArea>;
  routes?: FastifyPluginAsync;
}

/** Add your area to this list (one line). */
export const AREAS: readonly Area[] = [identityArea, telephonyArea, eventsArea];

/** Sets every area up for one server, in list order; what each provides is on `ctx.services` for the next. */
export async function mountAreas(ctx: ServerContext, areas: readonly Area[]): Promise<MountedArea[]> {
  const mounted: MountedArea[] = [];
  for (const area of areas) {
    const built: MountedArea = (await area.setup?.(ctx)) ?? {};
    if (area.routes !== undefined) {
      const own = built.routes;
      const plain = area.routes;
      built.routes =
        own === undefined
          ? plain
          : async (app) => {
              await app.register(own);
              await app.register(plain);
            };
    }
    Object.assign(ctx.services, built.provides);
    mounted.push(built);
  }
  return mounted;
}
