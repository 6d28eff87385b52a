import type { Transaction } from 'kysely';
import type { Area, MountedArea } from '../areas.js';
import type { ServerContext } from '../context.js';
import { areaDb } from '../db/area-db.js';
import type { Database } from '../db/schema.js';
import type { EventService } from '../events/event-service.js';
import { CallbackSender } from './callback-sender.js';
import type { TelephonyTables } from './db/tables.js';
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
import { StepWorker } from './sim/step-worker.js';
import type { StepWorkerOptions } from './sim/step-worker-options.js';
import { SmsCallbacks } from './sms-callbacks.js';
import { createLedger } from './stores/ledger-store.js';
import { Telephony } from './telephony.js';

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
  if (isClock(ctx.clock)) return ctx.clock;
  return new SystemClock(() => ctx.now());
}

/** The events area's service, looked up when first used (areas are set up in list order). */
function eventsOf(ctx: ServerContext): EventService<Database> {
  const events = ctx.services.events;
  if (events === undefined) throw new Error('the events area is not set up');
  return events;
}

/** The events area's transactions; `background` ones for the step worker (see TransactionOptions). */
function eventsPort(ctx: ServerContext, background: boolean): EventsTransactions {
  return {
    transaction: (fn) =>
      eventsOf(ctx).transaction((trx, emit) => fn(areaDb<TelephonyTables>(trx), emit), { background }),
    // The handle telephony gives back is the events area's own transaction.
    controlInTransaction: (trx, body) =>
      eventsOf(ctx).controlInTransaction(areaDb<Database>(trx) as Transaction<Database>, body),
    writeAtCommit: (trx, insert) =>
      eventsOf(ctx).writeAtCommit(areaDb<Database>(trx) as Transaction<Database>, insert),
  };
}

/** Tuning of the telephony area for tests and benchmarks, given to startServer. */
export interface TelephonyTuning {
  /**
   * The simulated network's step worker (`startServer({ sim: { leaseMs: 200 } })`); each field left
   * out keeps what the server chooses for its database (below), or else the worker's default. Whether
   * steps are taken without a claim is not among them: it follows the database, since with
   * several instances (PostgreSQL) every step must be claimed.
   * @default the server's choice per database, else the defaults of StepWorkerOptions
   */
  sim?: Partial<
    Pick<
      StepWorkerOptions,
      'leaseMs' | 'batch' | 'concurrency' | 'perTransaction' | 'coalesceMs' | 'pollMs' | 'onRan'
    >
  >;
}

export const telephonyArea: Area = {
  name: 'telephony',
  setup(ctx): MountedArea {
    const logError = (error: unknown, message: string) => ctx.logger.error({ err: error }, message);
    const sim = new SimRuntime({
      clock: simulatorClock(ctx),
      speed: ctx.config.simSpeed,
      onError: (error) => logError(error, 'a simulated network step failed'),
    });
    const db = areaDb<TelephonyTables>(ctx.db);
    const store = new StepStore(db, ctx.dialect);
    const transactions = new SimTransactions(eventsPort(ctx, false), store, sim);
    // The worker claims and runs its steps on the background connections (PostgreSQL): steps must
    // run on time however many requests wait for a connection.
    const background = areaDb<TelephonyTables>(ctx.storage.background);
    const workerStore = background === db ? store : new StepStore(background, ctx.dialect);
    const workerTransactions = new SimTransactions(eventsPort(ctx, true), workerStore, sim);
    const tuning = ctx.tuning.telephony.sim ?? {};
    const worker = new StepWorker({
      store: workerStore,
      transactions: workerTransactions,
      runtime: sim,
      // SQLite runs one transaction at a time: several lanes would only queue, and one commit
      // for the steps of a claim saves the rest. Each claim's transaction waits its turn behind
      // the sends: with 32 steps a claim, 100 clients sending made the lifecycle fall behind (steps
      // ran 0.6–1.8 s late and the backlog grew). 256 a claim keeps it on time (~12 ms late), each
      // step costing less than half as much; the sends then share the process with steps that
      // used to wait until the burst was over, so fewer sends are answered per second.
      // On PostgreSQL the SMS steps of one account share transactions of 8 (see lockSafeGroups):
      // each step used to take the account's event counter, which its sends wait for, and a
      // commit of its own; with 100 clients sending (2 cores), 8 a transaction ran ~1.5x the steps
      // (6 ms late rather than 18–180 ms) and answered ~1.4x the sends.
      concurrency: ctx.dialect === 'postgres' ? 4 : 1,
      batch: ctx.dialect === 'postgres' ? 32 : 256,
      perTransaction: ctx.dialect === 'postgres' ? 8 : 256,
      lockSafeGroups: ctx.dialect === 'postgres',
      ...tuning,
      // One instance, one transaction at a time: most steps need no claim (see takeInTransaction),
      // which saves writing a claim into each step's row before deleting it. After the tuning, so
      // that no caller can turn it on where several instances share the steps.
      takeInTransaction: ctx.dialect === 'sqlite',
      logError,
    });
    transactions.onPlanned((due) => worker.nudge(due));
    workerTransactions.onPlanned((due) => worker.nudge(due));
    const telephony = new Telephony(
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
    return {
      provides: { telephony, steps: { worker, store, runtime: sim } },
      async routes(app) {
        await app.register(numbersRoutes(telephony));
        await app.register(messagingRoutes(telephony));
        await app.register(callsRoutes(telephony));
        await app.register(simulateRoutes(telephony));
        await app.register(sipRoutes(telephony));
      },
      async seed(demo) {
        await seedTelephony(db, demo.accounts, ctx.now());
      },
      async start() {
        // Steps planned on other instances (PostgreSQL) wake this one's worker too.
        eventsOf(ctx).onControl((body) => {
          if (isStepsPlanned(body)) telephony.worker.nudge(body.due);
        });
        await telephony.start();
      },
      close: () => telephony.close(),
    };
  },
};
