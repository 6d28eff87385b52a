import { type CallOutcome, outcomeFor } from '../call-outcome.js';
import { type CreateCallInput, type CreateCallOptions, insertCall } from '../call-records.js';
import type { Emit, TelephonyDb } from '../deps.js';
import { CALL_MINUTE_MICROS } from '../money.js';
import { Q850 } from '../q850.js';
import { type CallRow, CallStore } from '../stores/call-store.js';
import { iso } from '../time.js';
import type { Batches } from './batches.js';
import { bridgeIn, type CallMachine, hangupIn, transition } from './call-transitions.js';
import type { Composites } from './composites.js';
import type { Schedule } from './sim-transaction.js';
import type { StepWorker } from './step-worker.js';

/** Payload of `call.answer`: how long the callee talks, and where the call flow comes from. */
interface AnswerPayload {
  talkMs: number;
  flowUrl?: string;
}

/** Payload of `call.hangup`. */
interface HangupPayload {
  cause: number;
  plannedSecs?: number;
}

/**
 * Plans a new call's steps in the transaction that created it, from the far end's behaviour
 * (`call-outcome.ts`): ringing, then busy / no answer / unallocated / rejected hangups, or an
 * answer that plans the talk time's hangup.
 */
export function planCall(
  schedule: Schedule,
  call: CallRow,
  input: CreateCallInput,
  options: CreateCallOptions = {},
): void {
  const outcome: CallOutcome = options.rejected
    ? { kind: 'rejected', cause: Q850.CALL_REJECTED }
    : // An inbound call rings whatever its number's last digits: they describe the caller's side.
      outcomeFor(call.direction === 'in' ? '+10000000000' : call.to_tn, {
        talkSecs: input.talk_secs,
        timeoutSecs: input.timeout_secs,
      });
  const step = (kind: string, inSimMs: number, payload?: unknown) =>
    schedule({ kind, target: call.uuid, accountId: call.account_id, inSimMs, payload });
  switch (outcome.kind) {
    case 'unallocated':
    case 'rejected':
      step('call.hangup', 0, { cause: outcome.cause } satisfies HangupPayload);
      return;
    case 'busy':
    case 'no_answer':
      step('call.ring', 0);
      step('call.hangup', outcome.ringMs, { cause: outcome.cause } satisfies HangupPayload);
      return;
    case 'answer': {
      const flowUrl = input.call_flow_xml === undefined ? input.call_flow_url : undefined;
      step('call.ring', 0);
      step('call.answer', outcome.ringMs, {
        talkMs: outcome.talkMs,
        ...(flowUrl === undefined ? {} : { flowUrl }),
      } satisfies AnswerPayload);
      return;
    }
  }
}

/**
 * Creates a call leg the simulator dials itself (`<Dial>` children, a batch's numbers, the second
 * leg of click-to-call): undefined when the balance does not cover a minute.
 */
export async function dialLeg(
  m: CallMachine,
  trx: TelephonyDb,
  emit: Emit,
  schedule: Schedule,
  accountId: string,
  input: CreateCallInput,
  options: CreateCallOptions,
): Promise<CallRow | undefined> {
  if ((await m.ledger.balance(trx, accountId)) < CALL_MINUTE_MICROS) return undefined;
  const row = await insertCall(trx, emit, iso(m.now()), accountId, input, options);
  planCall(schedule, row, input, options);
  return row;
}

/**
 * The call lifecycle's steps: `init → ringing → live → hangup → destroyed`. What happens when a
 * leg answers or ends (bridging a `<Dial>` child, the next number of a batch, the second leg of
 * click-to-call) is decided from the call's row, in the same transaction.
 */
export function registerCallSteps(
  worker: StepWorker,
  m: CallMachine,
  batches: Batches,
  composites: Composites,
): void {
  worker.handle('call.ring', {
    async run({ trx, emit, step }) {
      const now = iso(m.now());
      await transition(trx, emit, now, step.target, 'ringing', () => ({ ring_on: now }), [
        ['call.ringing', 'ringing'],
      ]);
    },
  });

  worker.handle('call.answer', {
    async run({ trx, emit, schedule, step }) {
      const { talkMs, flowUrl } = step.payload as AnswerPayload;
      const now = iso(m.now());
      const call = await transition(trx, emit, now, step.target, 'live', () => ({ answer_on: now }), [
        ['call.answered', 'answered'],
        ['call.live', 'live'],
      ]);
      if (call === undefined) return;
      const at = (kind: string, inSimMs: number, payload: unknown) =>
        schedule({ kind, target: call.uuid, accountId: call.account_id, inSimMs, payload });
      at('call.hangup', talkMs, {
        cause: Q850.NORMAL_CLEARING,
        plannedSecs: talkMs / 1000,
      } satisfies HangupPayload);
      if (call.call_flow_xml !== null) at('call.flow', 0, { index: 0, elapsedMs: 0 });
      else if (flowUrl !== undefined) at('call.fetch_flow', 0, { url: flowUrl });
      if (call.parent !== null) await bridgeWithParent(m, trx, emit, schedule, call, now);
      await composites.answered(trx, emit, schedule, call);
    },
  });

  worker.handle('call.hangup', {
    async run({ trx, emit, schedule, step }) {
      const { cause, plannedSecs } = step.payload as HangupPayload;
      await hangupIn(m, trx, emit, schedule, step.target, cause, plannedSecs);
    },
  });

  worker.handle('call.destroy', {
    async run({ trx, emit, schedule, step }) {
      const now = iso(m.now());
      const call = await transition(trx, emit, now, step.target, 'destroyed', () => ({ destroy_on: now }), [
        ['call.destroyed', 'destroyed'],
      ]);
      if (call === undefined) return;
      if (call.batch !== null) await batches.callEnded(trx, emit, schedule, call);
      await composites.ended(trx, schedule, call);
    },
  });
}

/**
 * A child leg (`<Dial>`, the second leg of click-to-call) that answers is bridged with its parent
 * when the parent is live and not bridged yet; otherwise (another leg answered first, or the
 * parent is gone) it is hung up.
 */
async function bridgeWithParent(
  m: CallMachine,
  trx: TelephonyDb,
  emit: Emit,
  schedule: Schedule,
  child: CallRow,
  now: string,
): Promise<void> {
  // Locked, so that the parent cannot end or bridge elsewhere between the check and the bridge.
  const parent = await new CallStore(trx).byUuid(child.parent as string, m.postgres);
  const bridged =
    parent !== undefined && parent.state === 'live' && parent.bridged_with === null
      ? await bridgeIn(trx, emit, now, parent, child)
      : undefined;
  if (bridged === undefined) {
    await hangupIn(m, trx, emit, schedule, child.uuid, Q850.NORMAL_CLEARING);
    return;
  }
  Object.assign(child, bridged.b);
}
