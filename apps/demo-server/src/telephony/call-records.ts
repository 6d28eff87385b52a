import { randomUUID } from 'node:crypto';
import type { Call } from '@callwire/types';
import type { Emit, TelephonyDb } from './deps.js';
import { invalidField } from './errors.js';
import { callOut } from './serialize.js';
import { type CallRow, CallStore } from './stores/call-store.js';
import { LeaseStore } from './stores/lease-store.js';

export interface CreateCallInput {
  from: string;
  to: string;
  call_flow_xml?: string | undefined;
  call_flow_url?: string | undefined;
  timeout_secs?: number | undefined;
  talk_secs?: number | undefined;
}

export interface CreateCallOptions {
  parent?: string | null;
  batch?: string | null;
  direction?: 'in' | 'out';
  /** Inbound calls screened out by a TN profile are rejected (cause 21). */
  rejected?: boolean;
  /** The click-to-call or rapid-response request the leg belongs to (`originate:<uuid>`, …). */
  composite?: string | null;
}

export type CallEventType =
  | 'call.initiated'
  | 'call.ringing'
  | 'call.answered'
  | 'call.live'
  | 'call.bridged'
  | 'call.callflow'
  | 'call.hangup'
  | 'call.destroyed'
  | 'call.recording';

export function callLine(call: Call): string {
  return `Call ${call.direction} ${call.from} > ${call.to}`;
}

export async function emitCall(
  emit: Emit,
  accountId: string,
  type: CallEventType,
  call: Call,
  what: string,
): Promise<void> {
  await emit({ accountId, type, refId: call.uuid, message: `${callLine(call)} - ${what}`, payload: call });
}

/** Inserts a call in `init` with its `call.initiated` event, inside the caller's transaction. */
export async function insertCall(
  trx: TelephonyDb,
  emit: Emit,
  now: string,
  accountId: string,
  input: CreateCallInput,
  options: CreateCallOptions = {},
): Promise<CallRow> {
  const row: CallRow = {
    uuid: randomUUID(),
    account_id: accountId,
    direction: options.direction ?? 'out',
    from_tn: input.from,
    to_tn: input.to,
    state: 'init',
    duration: 0,
    billable_seconds: 0,
    cost_micros: 0,
    init_on: now,
    ring_on: null,
    answer_on: null,
    hangup_on: null,
    destroy_on: null,
    q850_cause: null,
    parent: options.parent ?? null,
    batch: options.batch ?? null,
    bridged_with: null,
    call_flow_xml: input.call_flow_xml ?? null,
    talk_secs: input.talk_secs ?? null,
    timeout_secs: input.timeout_secs ?? null,
    modified_on: now,
    composite: options.composite ?? null,
  };
  await new CallStore(trx).insert(row);
  await emitCall(emit, accountId, 'call.initiated', callOut(row), 'initiated');
  return row;
}

/** 400 unless `tn` is a live number of the account with voice on. */
export async function assertVoiceNumber(
  db: TelephonyDb,
  accountId: string,
  tn: string,
  field: string,
): Promise<void> {
  const lease = await new LeaseStore(db).find(accountId, { tn });
  if (lease === undefined) throw invalidField(field, 'is not a number of this account');
  if (Number(lease.voice) !== 1) throw invalidField(field, 'does not have voice enabled');
}
