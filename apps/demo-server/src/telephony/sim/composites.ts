import type { Emit, TelephonyDb } from '../deps.js';
import { Q850 } from '../q850.js';
import type { CallRow } from '../stores/call-store.js';
import { VoiceStore } from '../stores/voice-store.js';
import { iso } from '../time.js';
import type { CallMachine } from './call-transitions.js';
import { dialLeg } from './calls.js';
import type { Schedule } from './sim-transaction.js';

/** The request a call leg belongs to, as written in `call.composite`. */
export type CompositeRef = { kind: 'originate' | 'rapid_response'; uuid: string };

export function compositeRef(kind: CompositeRef['kind'], uuid: string): string {
  return `${kind}:${uuid}`;
}

function parseRef(value: string | null): CompositeRef | undefined {
  if (value === null) return undefined;
  const [kind, uuid] = value.split(':');
  if ((kind !== 'originate' && kind !== 'rapid_response') || uuid === undefined) return undefined;
  return { kind, uuid };
}

type Outcome = 'bridged' | 'completed' | 'failed';

/**
 * Click-to-call (originate) and rapid response, both two call legs: the first is dialled; once it
 * is live the second is dialled as its child (and bridged with it when it answers, like any child
 * leg). The request's state follows: `bridged`, then `completed`; `failed` when either leg ends
 * before they were bridged (the other is hung up). Everything is read from the rows, in the
 * transaction of the step that moved the leg.
 */
export class Composites {
  readonly #m: CallMachine;

  constructor(m: CallMachine) {
    this.#m = m;
  }

  /** A leg answered: the first dials the second; a bridged second leg marks the request bridged. */
  async answered(trx: TelephonyDb, emit: Emit, schedule: Schedule, call: CallRow): Promise<void> {
    const ref = parseRef(call.composite);
    if (ref === undefined) return;
    if (call.parent !== null) {
      if (call.bridged_with !== null) await this.#finish(trx, ref, 'bridged');
      return;
    }
    const callee = await this.#callee(trx, ref);
    const leg2 =
      callee === undefined
        ? undefined
        : await dialLeg(
            this.#m,
            trx,
            emit,
            schedule,
            call.account_id,
            { from: call.from_tn, to: callee },
            { parent: call.uuid, composite: call.composite },
          );
    if (leg2 === undefined) {
      // No balance left for the second leg: the first is hung up, the request fails.
      schedule({
        kind: 'call.hangup',
        target: call.uuid,
        accountId: call.account_id,
        payload: { cause: Q850.NORMAL_CLEARING },
        inSimMs: 0,
      });
      await this.#finish(trx, ref, 'failed');
      return;
    }
    if (ref.kind === 'originate') {
      await new VoiceStore(trx).setOriginateCallee(ref.uuid, leg2.uuid, iso(this.#m.now()));
    }
  }

  /** A leg was destroyed: the request completes, or fails if the legs were never bridged. */
  async ended(trx: TelephonyDb, schedule: Schedule, call: CallRow): Promise<void> {
    const ref = parseRef(call.composite);
    if (ref === undefined) return;
    if (call.parent === null) {
      if (call.answer_on === null) await this.#finish(trx, ref, 'failed');
      return;
    }
    if (call.bridged_with === null) {
      schedule({
        kind: 'call.hangup',
        target: call.parent,
        accountId: call.account_id,
        payload: { cause: Q850.NORMAL_CLEARING },
        inSimMs: 0,
      });
    }
    await this.#finish(trx, ref, call.bridged_with === null ? 'failed' : 'completed');
  }

  async #callee(trx: TelephonyDb, ref: CompositeRef): Promise<string | undefined> {
    return new VoiceStore(trx).callee(ref.kind, ref.uuid);
  }

  /** Moves the request on, never out of a final state. */
  async #finish(trx: TelephonyDb, ref: CompositeRef, outcome: Outcome): Promise<void> {
    const now = iso(this.#m.now());
    const voice = new VoiceStore(trx);
    if (ref.kind === 'originate') {
      await voice.moveOriginate(ref.uuid, outcome, now);
      return;
    }
    // A rapid-response entry reports only how it ended.
    if (outcome === 'bridged') return;
    await voice.endRapidResponse(ref.uuid, outcome, now);
  }
}
