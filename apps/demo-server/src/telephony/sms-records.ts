import { createHash } from 'node:crypto';
import type { Sms } from '@callwire/types';
import { uuidV7 } from '../db/uuid-v7.js';
import type { Emit, TelephonyDb } from './deps.js';
import { countSegments } from './segments.js';
import { smsOut } from './serialize.js';
import type { Callback, SmsCallbacks } from './sms-callbacks.js';
import { type SmsRow, SmsStore } from './stores/sms-store.js';

export type SmsEventType = 'sms.created' | 'sms.sent' | 'sms.delivered' | 'sms.failed' | 'sms.received';

export async function emitSms(emit: Emit, accountId: string, type: SmsEventType, sms: Sms): Promise<unknown> {
  const arrow = sms.direction === 'out' ? 'out' : 'in';
  return emit({
    accountId,
    type,
    refId: sms.uuid,
    message: `SMS ${arrow} ${sms.from} > ${sms.to} - ${sms.state}`,
    payload: sms,
  });
}

/** Threads of recently seen pairs (a SHA-256 per send cost more than any other step of building it). */
const threads = new Map<string, string>();
const MAX_THREADS = 10_000;

/** A conversation id that both directions of one pair of numbers share. */
export function threadId(a: string, b: string): string {
  const key = a < b ? `${a}|${b}` : `${b}|${a}`;
  let thread = threads.get(key);
  if (thread === undefined) {
    thread = createHash('sha256').update(key).digest('hex').slice(0, 32);
    // Dropped all at once when full: it only spares work, the id is the same either way.
    if (threads.size >= MAX_THREADS) threads.clear();
    threads.set(key, thread);
  }
  return thread;
}

export interface InboundSms {
  accountId: string;
  from: string;
  to: string;
  message: string;
  profile: string | null;
  now: string;
}

/** Records an inbound message (`smsi`, `sms.received`) in the caller's transaction. */
export async function insertInboundSms(
  trx: TelephonyDb,
  emit: Emit,
  callbacks: SmsCallbacks,
  notes: Callback[],
  input: InboundSms,
): Promise<Sms> {
  const row: SmsRow = {
    uuid: uuidV7(Date.parse(input.now)),
    account_id: input.accountId,
    type: 'smsi',
    direction: 'in',
    state: 'received',
    from_tn: input.from,
    to_tn: input.to,
    message: input.message,
    thread: threadId(input.to, input.from),
    delivered: 1,
    segments: countSegments(input.message).segments,
    cost_micros: 0,
    messaging_profile: input.profile,
    custom_callback_url: null,
    error: null,
    created_on: input.now,
    modified_on: input.now,
    sent_on: null,
    delivered_on: input.now,
  };
  await new SmsStore(trx).insert(row);
  const out = smsOut(row);
  const event = await emitSms(emit, input.accountId, 'sms.received', out);
  await callbacks.note(trx, notes, row, event);
  return out;
}
