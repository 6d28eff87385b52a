import type { Emit, TelephonyDb } from '../deps.js';
import type { Schedule } from './sim-transaction.js';
import type { Step } from './step-store.js';
import type { StepWorkerOptions } from './step-worker-options.js';

/** What a step's run gets: its transaction, the event emitter and the planner of next steps. */
export interface StepRun<X = undefined> {
  trx: TelephonyDb;
  emit: Emit;
  schedule: Schedule;
  step: Step;
  /** What {@link StepHandler.prepare} returned. */
  prepared: X;
  /** Runs `fn` once the transaction committed (never if it rolled back): posts to the outside. */
  afterCommit: (fn: () => void) => void;
}

/** What one kind of step does. */
export interface StepHandler<X = undefined> {
  /**
   * Work outside the transaction, before it: waiting on the outside world (a call-flow URL, a
   * webhook receiver). The claim is kept meanwhile; if the instance dies here, another one
   * prepares the step again. `signal` aborts when the worker stops and its grace time is over:
   * the step is then released, not counted as failed.
   */
  prepare?(step: Step, extendLease: (ms: number) => Promise<void>, signal: AbortSignal): Promise<X>;
  /** The effect: writes, events and the next steps, all in one transaction. */
  run(run: StepRun<X>): Promise<void>;
}

/** How the worker runs one kind of step. */
export interface HandleOptions {
  /**
   * The step mostly waits on a receiver outside (a webhook delivery): it runs in the worker's pool
   * of `outboundSlots`, apart from the simulated network's lanes, so a slow receiver holds one
   * slot and never the simulated network's steps. Its claim is renewed while it waits.
   * @default false
   */
  outbound?: boolean;
  /**
   * The step's run locks only rows of its own target and then its account's event counter (an SMS
   * moving on). With {@link StepWorkerOptions.lockSafeGroups}, only such steps share transactions.
   * @default false
   */
  groupable?: boolean;
}
