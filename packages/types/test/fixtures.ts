// Shapes as the server writes them, shared by the schema tests.
export const ids = {
  account: '3f0c8a52-6d1e-4b7a-9c3e-2a1b4c5d6e7f',
  user: '0116f6d1-1280-44b2-9134-da48509ec575',
  call: '9b2e1c3d-4f5a-4b6c-8d7e-0f1a2b3c4d5e',
  sms: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
  lease: '7e6d5c4b-3a2f-4e1d-9c0b-8a7f6e5d4c3b',
  other: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
};
export const at = '2026-11-28T10:15:30.123Z';

export const account = {
  uuid: ids.account,
  name: 'Acme Dental',
  email: 'office@acme.example',
  level: 'Level1',
  balance: 99.87895,
  time_zone: 'America/New_York',
  created_on: at,
  modified_on: at,
};
export const user = {
  uuid: ids.user,
  email: 'alice@example.com',
  first_name: 'Alice',
  last_name: 'Ng',
  phone_number: '+12015550100',
  role: 'User',
  api_access: true,
  status: 'active',
};
export const call = {
  uuid: ids.call,
  direction: 'out',
  from: '+12015550100',
  to: '+12015550123',
  state: 'hangup',
  duration: 5,
  init_on: at,
  ring_on: at,
  answer_on: at,
  hangup_on: at,
  destroy_on: null,
  q850_cause: 16,
  q850_cause_string: 'NORMAL_CLEARING',
  parent: null,
  batch: null,
};
export const sms = {
  uuid: ids.sms,
  type: 'smso',
  direction: 'out',
  state: 'created',
  from: '+12015550100',
  to: '+12015550123',
  message: 'hello',
  thread: '+12015550100:+12015550123',
  delivered: false,
  segments: 1,
  cost: 0.0075,
  created_on: at,
  modified_on: at,
};
export const lease = {
  uuid: ids.lease,
  tn: '+12015550100',
  country: 'US',
  state: 'NJ',
  city: 'Jersey City',
  rate_center: 'JERSEYCITY',
  features: ['voice', 'sms'],
  voice: true,
  sms: true,
  autorenew: true,
  messaging_profile: null,
  sip_connection: null,
  tn_profile: null,
  call_flow_xml: null,
  call_flow_url: null,
  monthly_cost: 1,
  created_on: at,
  modified_on: at,
};
export function event(type: string, payload: unknown, seq = 1) {
  return {
    uuid: ids.other,
    seq,
    type,
    account_id: ids.account,
    created_on: at,
    ref_id: ids.call,
    message: 'Call out +12015550100 > +12015550123 - ringing',
    payload,
  };
}

/** Seed 003's `GET /rest/auth` response example, verbatim. */
export const seed003Profile = {
  success: true,
  payload: {
    uuid: '0116f6d1-1280-44b2-9134-da48509ec575',
    email: 'info@opentact.org',
    wss_online: true,
    role: 'User',
    created_on: '2024-01-16T14:15:48.540Z',
    modified_on: '2024-01-16T14:15:48.540Z',
    deleted_on: null,
    token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiZGU3NDBjYTQtYjNhYi00N2UzLWIzMDctZmQ3NT',
    phone_number: '+1234567890',
    dob: '2024-01-16T14:15:48.540Z',
    avatar: 'https://google/image.png',
    first_name: 'First Name',
    last_name: 'Last Name',
    gender: 'Female',
    account: {
      created_on: '2024-01-16T14:15:48.540Z',
      modified_on: '2024-01-16T14:15:48.540Z',
      uuid: 'f2cb79fb-6bf8-4484-8034-debf95aac73b',
      email: 'info@denovolab.com',
      name: 'DENOVOLAB',
      level: 'Level0',
      deleted_on: null,
      balance: 99.87895,
    },
  },
};
