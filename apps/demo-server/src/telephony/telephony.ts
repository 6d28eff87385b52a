import type { TelephonyDeps } from './deps.js';
import { BatchService } from './services/batches.js';
import { CallsService } from './services/calls.js';
import { LeasesService } from './services/leases.js';
import { MessagingProfilesService } from './services/messaging-profiles.js';
import { NumbersService } from './services/numbers.js';
import { OrdersService } from './services/orders.js';
import { SipService } from './services/sip.js';
import { SmsService } from './services/sms.js';
import { TnProfilesService } from './services/tn-profiles.js';
import { VoiceService } from './services/voice.js';
import type { CallMachine } from './sim/call-transitions.js';
import { ManualClock } from './sim/clock.js';
import { Renewals } from './sim/renewals.js';
import { registerSimulator } from './sim/simulator.js';
import type { StepStore } from './sim/step-store.js';
import type { StepWorker } from './sim/step-worker.js';

/** The simulated network's storage and worker, made by the area. */
export interface SimulatorParts {
  store: StepStore;
  worker: StepWorker;
}

/**
 * Every telephony service (one per resource, as the REST client's `resources/`) over one set of
 * dependencies, and the simulator; on `ctx.services.telephony`.
 */
export class Telephony {
  readonly numbers: NumbersService;
  readonly orders: OrdersService;
  readonly leases: LeasesService;
  readonly tnProfiles: TnProfilesService;
  readonly messagingProfiles: MessagingProfilesService;
  readonly sms: SmsService;
  readonly calls: CallsService;
  readonly batches: BatchService;
  readonly voice: VoiceService;
  readonly sip: SipService;
  readonly renewals: Renewals;
  /** Pending steps of the simulated network (tests and benchmarks read it). */
  readonly steps: StepStore;
  readonly worker: StepWorker;

  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps, parts: SimulatorParts) {
    this.deps = deps;
    const machine: CallMachine = {
      ledger: deps.ledger,
      now: () => deps.sim.now(),
      speed: deps.sim.speed,
      postgres: deps.dialect === 'postgres',
    };
    this.numbers = new NumbersService(deps);
    this.orders = new OrdersService(deps);
    this.leases = new LeasesService(deps);
    this.tnProfiles = new TnProfilesService(deps);
    this.messagingProfiles = new MessagingProfilesService(deps);
    this.sms = new SmsService(deps);
    this.calls = new CallsService(deps, machine);
    this.batches = new BatchService(deps);
    this.voice = new VoiceService(deps);
    this.sip = new SipService(deps);
    this.renewals = new Renewals(deps, parts.store);
    this.steps = parts.store;
    this.worker = parts.worker;
    registerSimulator(parts.worker, deps, machine, this.renewals);
  }

  /** The simulator's time: tests move its ManualClock with `advance()` / `runAll()`. */
  get sim() {
    return this.deps.sim;
  }

  /**
   * Starts running steps: those overdue after downtime first, in due order. A test's manual clock
   * moves only when told to, so renewals there run through `renewals.runDue()`.
   */
  async start(): Promise<void> {
    if (!(this.deps.sim.clock instanceof ManualClock)) await this.renewals.start();
    await this.worker.start();
  }

  /** Stops claiming steps, finishes those in hand, then waits for callbacks under way. */
  async close(): Promise<void> {
    await this.worker.stop();
    await this.deps.sim.close();
  }
}
