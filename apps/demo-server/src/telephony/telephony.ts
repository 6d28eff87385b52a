import { BatchService } from './batch-service.js';
import { CallsService } from './calls-service.js';
import type { TelephonyDeps } from './deps.js';
import { MessagingService } from './messaging-service.js';
import { NumbersService } from './numbers-service.js';
import { SipService } from './sip-service.js';
import { VoiceService } from './voice-service.js';

/** Every telephony service over one set of dependencies; hung on `ctx.services.telephony`. */
export class Telephony {
  readonly numbers: NumbersService;
  readonly messaging: MessagingService;
  readonly calls: CallsService;
  readonly batches: BatchService;
  readonly voice: VoiceService;
  readonly sip: SipService;

  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.numbers = new NumbersService(deps);
    this.messaging = new MessagingService(deps);
    this.calls = new CallsService(deps);
    this.batches = new BatchService(deps, this.calls);
    this.voice = new VoiceService(deps, this.calls);
    this.sip = new SipService(deps);
  }

  /** The simulator's scheduler: tests move its ManualClock with `advance()` / `runAll()`. */
  get sim() {
    return this.deps.scheduler;
  }

  async close(): Promise<void> {
    await this.deps.scheduler.close();
    this.calls.close();
    this.batches.close();
  }
}
