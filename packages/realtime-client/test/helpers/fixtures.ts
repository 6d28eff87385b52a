import { randomUUID } from 'node:crypto';

export const ACCOUNT = '11111111-1111-4111-8111-111111111111';
export const OTHER_ACCOUNT = '22222222-2222-4222-8222-222222222222';
const CALL = '33333333-3333-4333-8333-333333333333';
const T = '2026-01-16T14:15:48.540Z';

export interface TestEvent {
  uuid: string;
  seq: number;
  type: string;
  account_id: string;
  created_on: string;
  ref_id: string;
  message: string;
  payload: Record<string, unknown>;
}

const CALL_TYPES = [
  'call.initiated',
  'call.ringing',
  'call.answered',
  'call.live',
  'call.hangup',
  'call.destroyed',
];

/** A schema-valid call event; the type cycles through a call's life unless given. */
export function callEvent(seq: number, type?: string, accountId = ACCOUNT): TestEvent {
  return {
    uuid: randomUUID(),
    seq,
    type: type ?? CALL_TYPES[seq % CALL_TYPES.length]!,
    account_id: accountId,
    created_on: T,
    ref_id: CALL,
    message: `Call out +12015550100 > +12015550123 - ${seq}`,
    payload: ringingCall(CALL, T),
  };
}

export const AUTH_PAYLOAD = {
  connection: { uuid: '44444444-4444-4444-8444-444444444444', ip: '127.0.0.1' },
  user: {
    uuid: '55555555-5555-4555-8555-555555555555',
    email: 'alice@example.com',
    first_name: 'Alice',
    last_name: 'Doe',
    phone_number: null,
    role: 'User',
    api_access: true,
    status: 'active',
  },
  account: {
    uuid: ACCOUNT,
    name: 'Acme Dental',
    email: 'office@acme.example',
    level: 'Level1',
    balance: 100,
    time_zone: 'UTC',
    created_on: T,
    modified_on: T,
  },
};

/** The payload of an outbound call `uuid` that started ringing at `at` (an ISO time). */
export function ringingCall(uuid: string, at: string): Record<string, unknown> {
  return {
    uuid,
    direction: 'out',
    from: '+12015550100',
    to: '+12015550123',
    state: 'ringing',
    duration: 0,
    init_on: at,
    ring_on: at,
    answer_on: null,
    hangup_on: null,
    destroy_on: null,
    q850_cause: null,
    q850_cause_string: null,
    parent: null,
    batch: null,
  };
}
