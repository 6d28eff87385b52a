import type { Area } from '../areas.js';
import type { ServerContext } from '../context.js';
import { CallbackSender } from './callback-sender.js';
import type { TelephonyDb } from './deps.js';
import { createLedger } from './ledger.js';
import { callsRoutes } from './routes/calls.js';
import { messagingRoutes } from './routes/messaging.js';
import { numbersRoutes } from './routes/numbers.js';
import { simulateRoutes } from './routes/simulate.js';
import { sipRoutes } from './routes/sip.js';
import { seedTelephony } from './seed.js';
import { type Clock, SystemClock } from './sim/clock.js';
import { SimRuntime } from './sim/runtime.js';
import { type EventsTransactions, isStepsPlanned, SimTransactions } from './sim/sim-transaction.js';
import { StepStore } from './sim/step-store.js';
import { StepWorker, type StepWorkerOptions } from './sim/step-worker.js';
import { SmsCallbacks } from './sms-callbacks.js';
import { Telephony } from './telephony.js';

declare module '../context.js' {
  interface ServiceRegistry {
    telephony: Telephony;
    /** The server's one step worker, its store and time: other areas register their step kinds. */
    steps: { worker: StepWorker; store: StepStore; runtime: SimRuntime };
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
  controlInTransaction(trx: unknown, body: unknown): Promise<void>;
  onControl(handler: (body: unknown) => void): void;
}

/** The events area's service, looked up when first used (areas are set up in list order). */
function eventsOf(ctx: ServerContext): EventsLike {
  const events = (ctx.services as Record<string, unknown>).events as EventsLike | undefined;
  if (events === undefined) throw new Error('the events area is not set up');
  return events;
}

function eventsPort(ctx: ServerContext): EventsTransactions {
  return {
    transaction: (fn) => eventsOf(ctx).transaction((trx, emit) => fn(trx as TelephonyDb, emit as never)),
    controlInTransaction: (trx, body) => eventsOf(ctx).controlInTransaction(trx, body),
  };
}

/** Tuning of the step worker for tests and benchmarks (`startServer({ sim: {…} })`). */
type SimTuning = Partial<
  Pick<
    StepWorkerOptions,
    'leaseMs' | 'batch' | 'concurrency' | 'perTransaction' | 'coalesceMs' | 'pollMs' | 'onRan'
  >
>;

export const telephonyArea: Area = {
  name: 'telephony',
  setup(ctx) {
    const logError = (error: unknown, message: string) => ctx.logger.error({ err: error }, message);
    const sim = new SimRuntime({
      clock: simulatorClock(ctx),
      speed: ctx.config.simSpeed,
      onError: (error) => logError(error, 'a simulated network step failed'),
    });
    const db = ctx.db as unknown as TelephonyDb;
    const store = new StepStore(db, ctx.dialect);
    const transactions = new SimTransactions(eventsPort(ctx), store, sim);
    const tuning = (ctx.extra.sim ?? {}) as SimTuning;
    const worker = new StepWorker({
      store,
      transactions,
      runtime: sim,
      // SQLite runs one transaction at a time: several lanes would only queue, and one commit
      // for the steps of a claim saves the rest.
      concurrency: ctx.dialect === 'postgres' ? 4 : 1,
      perTransaction: ctx.dialect === 'postgres' ? 1 : 32,
      ...tuning,
      logError,
    });
    transactions.onPlanned((due) => worker.nudge(due));
    ctx.services.steps = { worker, store, runtime: sim };
    ctx.services.telephony = new Telephony(
      {
        db,
        dialect: ctx.dialect,
        events: transactions,
        sim,
        ledger: createLedger(() => sim.now()),
        outbound: ctx.outbound,
        callbacks: new SmsCallbacks(
          sim,
          new CallbackSender({ db: ctx.db, outbound: ctx.outbound, now: () => ctx.now() }),
          logError,
        ),
        logError,
      },
      { store, worker },
    );
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
    // Steps planned on other instances (PostgreSQL) wake this one's worker too.
    eventsOf(ctx).onControl((body) => {
      if (isStepsPlanned(body)) telephony.worker.nudge(body.due);
    });
    await telephony.start();
  },
  async close(ctx) {
    await ctx.services.telephony?.close();
  },
};
