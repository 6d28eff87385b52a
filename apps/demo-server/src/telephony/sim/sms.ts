import type { Emit, TelephonyDb } from '../deps.js';
import { smsOut } from '../serialize.js';
import type { Callback, SmsCallbacks } from '../sms-callbacks.js';
import { emitSms, insertInboundSms, type SmsEventType } from '../sms-records.js';
import { type SmsChange, type SmsRow, SmsStore } from '../stores/sms-store.js';
import { iso } from '../time.js';
import { lastFour } from '../tn-pattern.js';
import type { Schedule } from './sim-transaction.js';
import type { Step } from './step-store.js';
import type { StepWorker } from './step-worker.js';

/** Simulated SMS lifecycle delays (simulated ms after the send). */
export const SMS_SENDING_AFTER_MS = 100;
export const SMS_SENT_AFTER_MS = 1_000;
export const SMS_DELIVERED_AFTER_MS = 3_000;

/** Destinations the simulated carrier cannot deliver to: the same suffix as an unallocated call. */
function undeliverable(to: string): string | undefined {
  return lastFour(to) === '0404'
    ? 'unallocated number: the carrier could not deliver the message'
    : undefined;
}

/**
 * Plans an outbound message's lifecycle in the transaction that accepted it: `sending` at 100 ms,
 * `sent` at 1 s, `delivered` at 3 s after the send (or `failed` at 1 s for an undeliverable
 * destination). The three steps are one row each, written with one statement.
 */
export function planSms(
  schedule: Schedule,
  sms: { accountId: string; uuid: string; to: string; sentAtMs: number },
): void {
  const at = (kind: string, inSimMs: number) =>
    schedule({
      kind,
      target: sms.uuid,
      accountId: sms.accountId,
      payload: { to: sms.to },
      inSimMs,
      fromMs: sms.sentAtMs,
    });
  at('sms.sending', SMS_SENDING_AFTER_MS);
  at('sms.sent', SMS_SENT_AFTER_MS);
  at('sms.delivered', SMS_DELIVERED_AFTER_MS);
}

/**
 * The SMS lifecycle's steps. Each is one conditional UPDATE … RETURNING, so a step never moves a
 * message backwards and needs no read first.
 */
export function registerSmsSteps(worker: StepWorker, callbacks: SmsCallbacks, now: () => number): void {
  // `sending` has no event type in the contract (it is visible through GET only).
  worker.handle(
    'sms.sending',
    {
      async run({ trx, step }) {
        await new SmsStore(trx).markSending(step.target, iso(now()));
      },
    },
    { groupable: true },
  );
  for (const target of ['sent', 'delivered'] as const) {
    worker.handle(
      `sms.${target}`,
      {
        async run({ trx, emit, step, afterCommit }) {
          const { to } = step.payload as { to: string };
          const notes = await advance(trx, emit, callbacks, step, to, target, iso(now()));
          if (notes.length > 0) afterCommit(() => callbacks.post(notes));
        },
      },
      // A delivery to a number on this platform records an inbound message on the receiving
      // account, whose counter it then locks too: `delivered` runs in a transaction of its own.
      { groupable: target === 'sent' },
    );
  }
}

async function advance(
  trx: TelephonyDb,
  emit: Emit,
  callbacks: SmsCallbacks,
  { accountId, target: uuid }: Step,
  to: string,
  target: 'sent' | 'delivered',
  now: string,
): Promise<Callback[]> {
  const notes: Callback[] = [];
  const failure = undeliverable(to);
  const change: SmsChange =
    failure !== undefined
      ? { state: 'failed', error: failure, modified_on: now }
      : target === 'sent'
        ? { state: 'sent', sent_on: now, modified_on: now }
        : { state: 'delivered', delivered: 1, delivered_on: now, modified_on: now };
  const next = await new SmsStore(trx).move(
    uuid,
    change,
    target === 'sent' ? ['created', 'sending'] : ['sent'],
  );
  if (next === undefined) return notes;
  const event = await emitSms(emit, accountId, `sms.${next.state}` as SmsEventType, smsOut(next));
  await callbacks.note(trx, notes, next, event);
  if (next.state === 'delivered') await deliverOnNet(trx, emit, callbacks, notes, next, now);
  return notes;
}

/** A message to a number leased on this platform arrives there as an inbound SMS. */
async function deliverOnNet(
  trx: TelephonyDb,
  emit: Emit,
  callbacks: SmsCallbacks,
  notes: Callback[],
  sms: SmsRow,
  now: string,
): Promise<void> {
  const lease = await new SmsStore(trx).onNetNumber(sms.to_tn);
  if (lease === undefined || Number(lease.sms) !== 1) return;
  await insertInboundSms(trx, emit, callbacks, notes, {
    accountId: lease.account_id,
    from: sms.from_tn,
    to: sms.to_tn,
    message: sms.message,
    profile: lease.messaging_profile,
    now,
  });
}
