import { BatchService } from './batch-service.js';
import { CallsService } from './calls-service.js';
import type { TelephonyDeps } from './deps.js';
import { MessagingService } from './messaging-service.js';
import { NumbersService } from './numbers-service.js';
import { RenewalService } from './renewal-service.js';
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
  readonly renewals: RenewalService;

  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.numbers = new NumbersService(deps);
    this.messaging = new MessagingService(deps);
    this.calls = new CallsService(deps);
    this.batches = new BatchService(deps, this.calls);
    this.voice = new VoiceService(deps, this.calls);
    this.sip = new SipService(deps);
    this.renewals = new RenewalService(deps);
  }

  /** The simulator's scheduler: tests move its ManualClock with `advance()` / `runAll()`. */
  get sim() {
    return this.deps.scheduler;
  }

  /**
   * After a restart of a single-instance (SQLite) server, the simulator's timers are gone: calls
   * still up are hung up (cause 31), messages and orders in flight finish, batches are marked
   * failed. (With PostgreSQL several instances may share the work in flight, so nothing is taken
   * over there.)
   */
  async recover(): Promise<void> {
    const db = this.deps.db;
    const calls = await db
      .selectFrom('call')
      .select(['uuid', 'account_id'])
      .where('state', 'in', ['init', 'ringing', 'live', 'hangup'])
      .execute();
    for (const c of calls) await this.calls.recover(c.account_id, c.uuid);
    const messages = await db
      .selectFrom('sms')
      .select(['uuid', 'account_id', 'to_tn'])
      .where('direction', '=', 'out')
      .where('state', 'in', ['created', 'sending', 'sent'])
      .execute();
    for (const m of messages) this.messaging.resume(m.account_id, m.uuid, m.to_tn);
    const orders = await db
      .selectFrom('tn_order')
      .select(['uuid', 'account_id'])
      .where('state', 'in', ['created', 'processing'])
      .execute();
    for (const o of orders) this.numbers.resumeOrder(o.account_id, o.uuid);
    const batches = await db
      .selectFrom('call_batch')
      .select(['uuid', 'account_id'])
      .where('state', 'in', ['created', 'processing'])
      .execute();
    for (const b of batches) await this.batches.abandon(b.account_id, b.uuid);
  }

  async close(): Promise<void> {
    this.renewals.stop();
    await this.deps.scheduler.close();
    this.calls.close();
    this.batches.close();
  }
}
