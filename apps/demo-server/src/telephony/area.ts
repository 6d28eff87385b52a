import type { Area } from '../areas.js';
import type { ServerContext } from '../context.js';
import { CallbackSender } from './callback-sender.js';
import { type Clock, ManualClock, SystemClock } from './clock.js';
import type { EventsPort, TelephonyDb } from './deps.js';
import { createLedger } from './ledger.js';
import { callsRoutes } from './routes/calls.js';
import { messagingRoutes } from './routes/messaging.js';
import { numbersRoutes } from './routes/numbers.js';
import { simulateRoutes } from './routes/simulate.js';
import { sipRoutes } from './routes/sip.js';
import { Scheduler } from './scheduler.js';
import { seedTelephony } from './seed.js';
import { Telephony } from './telephony.js';

declare module '../context.js' {
  interface ServiceRegistry {
    telephony: Telephony;
  }
}

function isClock(value: unknown): value is Clock {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Clock).now === 'function' &&
    typeof (value as Clock).setTimer === 'function' &&
    typeof (value as Clock).clearTimer === 'function'
  );
}

/**
 * The simulator's clock: a test's ManualClock (given to startServer as `clock`) when there is one,
 * so the whole server shares its time; otherwise real timers stamped with the server's clock.
 */
function simulatorClock(ctx: ServerContext): Clock {
  if (isClock(ctx.extra.clock)) return ctx.extra.clock;
  if (isClock(ctx.clock)) return ctx.clock;
  return new SystemClock(() => ctx.now());
}

interface EventsLike {
  transaction<T>(fn: (trx: unknown, emit: (e: unknown) => Promise<unknown>) => Promise<T>): Promise<T>;
}

/** The events area's service, looked up when first used (areas are set up in list order). */
function eventsPort(ctx: ServerContext): EventsPort {
  return {
    transaction(fn) {
      const events = (ctx.services as Record<string, unknown>).events as EventsLike | undefined;
      if (events === undefined) throw new Error('the events area is not set up');
      return events.transaction((trx, emit) => fn(trx as TelephonyDb, emit as never));
    },
  };
}

export const telephonyArea: Area = {
  name: 'telephony',
  setup(ctx) {
    const scheduler = new Scheduler({
      clock: simulatorClock(ctx),
      speed: ctx.config.simSpeed,
      onError: (error) => ctx.logger.error({ err: error }, 'a simulated network step failed'),
    });
    ctx.services.telephony = new Telephony({
      db: ctx.db as unknown as TelephonyDb,
      dialect: ctx.dialect,
      events: eventsPort(ctx),
      scheduler,
      ledger: createLedger(() => scheduler.now()),
      outbound: ctx.outbound,
      callbacks: new CallbackSender({ db: ctx.db, outbound: ctx.outbound, now: () => ctx.now() }),
      logError: (error, message) => ctx.logger.error({ err: error }, message),
    });
  },
  async routes(app) {
    await app.register(numbersRoutes);
    await app.register(messagingRoutes);
    await app.register(callsRoutes);
    await app.register(simulateRoutes);
    await app.register(sipRoutes);
  },
  async seed(ctx, demo) {
    await seedTelephony(ctx.db as unknown as TelephonyDb, demo.accounts, ctx.now());
  },
  async start(ctx) {
    const telephony = ctx.services.telephony;
    if (telephony === undefined) return;
    if (ctx.dialect === 'sqlite') await telephony.recover();
    // A test's manual clock moves only when told to: renewals there run through runDue().
    if (!(telephony.sim.clock instanceof ManualClock)) telephony.renewals.start();
  },
  async close(ctx) {
    await ctx.services.telephony?.close();
  },
};
