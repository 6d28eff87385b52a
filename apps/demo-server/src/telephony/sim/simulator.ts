import type { TelephonyDeps } from '../deps.js';
import { Batches } from './batches.js';
import { registerCallFlowSteps } from './call-flow.js';
import type { CallMachine } from './call-transitions.js';
import { registerCallSteps } from './calls.js';
import { Composites } from './composites.js';
import { registerOrderSteps } from './orders.js';
import type { Renewals } from './renewals.js';
import { registerSmsSteps } from './sms.js';
import type { StepWorker } from './step-worker.js';

/** Teaches the worker every step of the simulated network, one lifecycle module each. */
export function registerSimulator(
  worker: StepWorker,
  deps: TelephonyDeps,
  machine: CallMachine,
  renewals: Renewals,
): void {
  const now = () => deps.sim.now();
  registerOrderSteps(worker, deps.ledger, now);
  registerSmsSteps(worker, deps.callbacks, now);
  const batches = new Batches(machine);
  registerCallSteps(worker, machine, batches, new Composites(machine));
  registerCallFlowSteps(worker, machine, { db: deps.db, outbound: deps.outbound, logError: deps.logError });
  batches.register(worker);
  renewals.register(worker);
}
