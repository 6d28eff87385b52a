import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import * as T from '../src/index.js';
import { account, at, call, event, ids, lease, sms, user } from './fixtures.js';

interface Case {
  schema: z.ZodMiniType;
  valid: unknown[];
  invalid: unknown[];
}

const profile = {
  uuid: ids.other,
  name: 'Alerts',
  callback_url: null,
  number_pool_enable: true,
  sticky_sender: false,
  created_on: at,
  modified_on: at,
};
const order = {
  uuid: ids.other,
  state: 'processing',
  items: [{ tn: '+12015550100', features: ['sms'], autorenew: true, state: 'processing' }],
  total: 1,
  success: 0,
  processing: 1,
  failed: 0,
  errors: [],
  created_on: at,
  modified_on: at,
};
const batch = {
  uuid: ids.other,
  state: 'processing',
  total: 3,
  completed: 1,
  failed: 0,
  created_on: at,
  modified_on: at,
};

const cases: Record<string, Case> = {
  AccountSchema: {
    schema: T.AccountSchema,
    valid: [account],
    invalid: [
      { ...account, level: 'Level9' },
      { ...account, uuid: 'x' },
    ],
  },
  UserSchema: {
    schema: T.UserSchema,
    valid: [user, { ...user, phone_number: null }],
    invalid: [{ ...user, role: 'root' }],
  },
  AccountAccessSchema: {
    schema: T.AccountAccessSchema,
    valid: [{ uuid: ids.account, name: 'Acme', level: 'Level0', access: 'admin', default: true }],
    invalid: [{ uuid: ids.account, name: 'Acme', level: 'Level0', access: 'owner', default: true }],
  },
  LoginRequestSchema: {
    schema: T.LoginRequestSchema,
    valid: [
      { username: 'a@b.c', password: 'p' },
      { username: 'a@b.c', password: 'p', account_id: ids.account, auth_only: true },
    ],
    invalid: [
      { username: '', password: 'p' },
      { username: 'a', password: 'p', extra: 1 },
      { username: 'a', password: 'p', account_id: '12345' },
    ],
  },
  SessionSchema: {
    schema: T.SessionSchema,
    valid: [
      {
        token: 't',
        token_expiration: at,
        token_lifetime: 3600,
        refresh_token: 'r',
        refresh_token_expiration: at,
        user,
        account,
      },
    ],
    invalid: [{ token: 't', token_lifetime: -1, user, account }],
  },
  RefreshRequestSchema: {
    schema: T.RefreshRequestSchema,
    valid: [{ refresh_token: 'r' }],
    invalid: [{}, { refresh_token: '' }],
  },
  MasqueradeRequestSchema: {
    schema: T.MasqueradeRequestSchema,
    valid: [{ account_id: ids.account }],
    invalid: [{ account_id: 'nope' }],
  },
  CreateApiTokenRequestSchema: {
    schema: T.CreateApiTokenRequestSchema,
    valid: [
      { name: 'ci', ttl: 60 },
      { name: 'ci', ttl: '3600' },
    ],
    invalid: [
      { name: 'ci', ttl: 59 },
      { name: '', ttl: 600 },
    ],
  },
  ApiTokenSchema: {
    schema: T.ApiTokenSchema,
    valid: [
      { uuid: ids.other, name: 'ci', ttl: 60, expired_on: at },
      { uuid: ids.other, name: 'ci', ttl: 60, token: 'secret', expired_on: at },
    ],
    invalid: [{ uuid: ids.other, name: 'ci', ttl: 60 }],
  },
  InventorySearchRequestSchema: {
    schema: T.InventorySearchRequestSchema,
    valid: [{ country: 'US' }, { npa: '201', pattern: '*233', features: ['sms'] }, { pattern: '201%55' }],
    invalid: [{ country: 'FR' }, { npa: '12' }, { pattern: 'abc' }],
  },
  OrderRequestSchema: {
    schema: T.OrderRequestSchema,
    valid: [
      { items: [{ tn: '2015550100', features: ['voice'], autorenew: false }] },
      { items: [{ tn: '+12015550100' }] },
    ],
    invalid: [{ items: [] }, { items: [{ tn: 'call me' }] }],
  },
  OrderSchema: { schema: T.OrderSchema, valid: [order], invalid: [{ ...order, state: 'done' }] },
  LeaseSchema: { schema: T.LeaseSchema, valid: [lease], invalid: [{ ...lease, tn: '2015550100' }] },
  LeaseSearchRequestSchema: {
    schema: T.LeaseSearchRequestSchema,
    valid: [{}, { tn: '201*', sms: true }],
    invalid: [{ tn: 'x' }],
  },
  UpdateLeaseRequestSchema: {
    schema: T.UpdateLeaseRequestSchema,
    valid: [{ voice: false }, { messaging_profile: null, call_flow_url: 'https://example.com/flow' }],
    invalid: [{ voice: 'yes' }, { unknown_field: true }],
  },
  TnProfileSchema: {
    schema: T.TnProfileSchema,
    valid: [
      {
        uuid: ids.other,
        name: 'p',
        blacklist: ['+12015550199'],
        whitelist: [],
        created_on: at,
        modified_on: at,
      },
    ],
    invalid: [
      { uuid: ids.other, name: 'p', blacklist: ['555'], whitelist: [], created_on: at, modified_on: at },
    ],
  },
  NumberListEditRequestSchema: {
    schema: T.NumberListEditRequestSchema,
    valid: [{ add: ['2015550199'] }, { remove: ['+12015550199'] }],
    invalid: [{}, { add: [] }, { add: ['nope'] }],
  },
  SendSmsRequestSchema: {
    schema: T.SendSmsRequestSchema,
    valid: [
      { from: '2015550100', to: '+12015550123', message: 'hi' },
      { from_pool: ids.other, to: '12015550123', message: 'hi' },
    ],
    invalid: [
      { to: '+12015550123', message: 'hi' },
      { from: '+12015550100', from_pool: ids.other, to: '+12015550123', message: 'hi' },
      { from: '+12015550100', to: '+12015550123', message: '' },
      { from: '+12015550100', to: '+12015550123', message: 'x'.repeat(919) },
    ],
  },
  SmsSchema: { schema: T.SmsSchema, valid: [sms], invalid: [{ ...sms, state: 'lost' }] },
  MessagingProfileSchema: {
    schema: T.MessagingProfileSchema,
    valid: [profile],
    invalid: [{ ...profile, sticky_sender: 'no' }],
  },
  CreateMessagingProfileRequestSchema: {
    schema: T.CreateMessagingProfileRequestSchema,
    valid: [{ name: 'Alerts' }, { name: 'A', callback_url: 'https://example.com/cb', sticky_sender: true }],
    invalid: [{ name: '' }, { name: 'A', callback_url: 'not a url' }],
  },
  CallSchema: { schema: T.CallSchema, valid: [call], invalid: [{ ...call, state: 'dialing' }] },
  CreateCallRequestSchema: {
    schema: T.CreateCallRequestSchema,
    valid: [
      { from: '+12015550100', to: '2015550123' },
      { from: '+12015550100', to: '2015550123', talk_secs: 0, call_flow_xml: '<Response/>' },
    ],
    invalid: [{ from: '+12015550100' }, { from: '+12015550100', to: '2015550123', timeout_secs: 0 }],
  },
  BridgeCallsRequestSchema: {
    schema: T.BridgeCallsRequestSchema,
    valid: [{ call_a: ids.call, call_b: ids.other }],
    invalid: [{ call_a: ids.call }],
  },
  CreateBatchRequestSchema: {
    schema: T.CreateBatchRequestSchema,
    valid: [{ from: '+12015550100', phones: ['2015550123', '2015550124'] }],
    invalid: [
      { from: '+12015550100', phones: [] },
      { from: '+12015550100', phones: Array(10001).fill('2015550123') },
    ],
  },
  BatchSchema: { schema: T.BatchSchema, valid: [batch], invalid: [{ ...batch, total: 'many' }] },
  OriginateRequestSchema: {
    schema: T.OriginateRequestSchema,
    valid: [{ caller: '2015550100', callee: '2015550123' }],
    invalid: [{ caller: '2015550100' }],
  },
  RapidResponseRequestSchema: {
    schema: T.RapidResponseRequestSchema,
    valid: [{ callee: '2015550123', whisper_text: 'New lead', agent: '2015550100' }],
    invalid: [{ callee: '2015550123', whisper_text: '', agent: '2015550100' }],
  },
  CallDataQuerySchema: {
    schema: T.CallDataQuerySchema,
    valid: [
      { start_date: '2022-10-01', end_date: '2022-10-02' },
      { start_date: '2022-10-01', end_date: '2022-10-02', account_id: ids.account },
    ],
    invalid: [
      { start_date: '2022-10-01' },
      { start_date: '10/01/2022', end_date: '2022-10-02' },
      { start_date: '2022-10-01', end_date: '2022-10-02', account_id: '12345' },
    ],
  },
  CallDataRecordSchema: {
    schema: T.CallDataRecordSchema,
    valid: [
      {
        uuid: ids.call,
        direction: 'out',
        from: '+12015550100',
        to: '+12015550123',
        started_on: at,
        answered_on: null,
        ended_on: at,
        duration: 0,
        billable_seconds: 0,
        cost: 0,
        q850_cause: 17,
        state: 'destroyed',
      },
    ],
    invalid: [{ uuid: ids.call }],
  },
  CreateSipConnectionRequestSchema: {
    schema: T.CreateSipConnectionRequestSchema,
    valid: [{ name: 'pbx', host: 'pbx.example', port: 5060 }],
    invalid: [{ name: 'pbx', port: 70000 }],
  },
  CreateSipDomainRequestSchema: {
    schema: T.CreateSipDomainRequestSchema,
    valid: [{ domain: 'Acme.sip.example' }],
    invalid: [{ domain: 'not a domain' }],
  },
  CreateSipUserRequestSchema: {
    schema: T.CreateSipUserRequestSchema,
    valid: [{ username: 'frontdesk', password: 'correct-horse' }],
    invalid: [
      { username: 'front desk', password: 'correct-horse' },
      { username: 'a', password: 'short' },
    ],
  },
  SipUserSchema: {
    schema: T.SipUserSchema,
    valid: [
      {
        uuid: ids.other,
        domain: 'acme.sip.example',
        username: 'frontdesk',
        caller_id: null,
        created_on: at,
        modified_on: at,
      },
    ],
    invalid: [{ uuid: ids.other, domain: 'acme.sip.example', created_on: at, modified_on: at }],
  },
  CreateEventSubscriptionRequestSchema: {
    schema: T.CreateEventSubscriptionRequestSchema,
    valid: [
      { channel: 'wss', types: ['call.*'] },
      { channel: 'webhook', types: ['*'], url: 'https://hooks.example/cw' },
    ],
    invalid: [
      { channel: 'webhook', types: ['*'] },
      { channel: 'wss', types: ['call.*'], url: 'https://x.example' },
      { channel: 'wss', types: ['CALL!'] },
      { channel: 'wss', types: [] },
    ],
  },
  WebhookDeliverySchema: {
    schema: T.WebhookDeliverySchema,
    valid: [
      {
        uuid: ids.other,
        subscription: ids.other,
        event_id: ids.other,
        event_type: 'sms.sent',
        seq: 4,
        state: 'pending',
        attempts: 1,
        last_status: 500,
        last_error: null,
        next_attempt_on: at,
        created_on: at,
        modified_on: at,
      },
    ],
    invalid: [{ uuid: ids.other, state: 'lost' }],
  },
  ErrorEnvelopeSchema: {
    schema: T.ErrorEnvelopeSchema,
    valid: [
      {
        success: false,
        status: 401,
        code: 'invalid_credentials',
        message: 'Wrong email or password',
        request_id: 'r1',
      },
      {
        success: false,
        status: 400,
        code: 'validation_failed',
        message: 'Invalid body',
        request_id: 'r2',
        fields: { 'body.to': { message: 'must be…' } },
      },
      {
        success: false,
        status: 400,
        code: 'account_required',
        message: 'Pick one',
        request_id: 'r3',
        accounts: [{ uuid: ids.account, name: 'Acme' }],
      },
    ],
    invalid: [
      { success: true, status: 200 },
      { success: false, status: 200, code: 'x', message: 'x', request_id: 'r' },
    ],
  },
  EventBackfillQuerySchema: {
    schema: T.EventBackfillQuerySchema,
    valid: [{}, { after_seq: '5', types: 'call.*,sms.delivered', take: '50' }],
    invalid: [{ after_seq: '-1' }, { types: 'call.*,DROP TABLE' }, { take: '5000' }],
  },
  WsClientMessageSchema: {
    schema: T.WsClientMessageSchema,
    valid: [
      { type: 'auth', token: 't' },
      { type: 'auth', payload: 't' },
      { type: 'authrequest', token: 't' },
      { type: 'subscribe', id: 'c1', types: ['call.*'], after_seq: 0 },
      { type: 'unsubscribe', id: 'c2', subscription: ids.other },
      { type: 'reauth', token: 't' },
      { type: 'ping' },
    ],
    invalid: [
      { type: 'auth' },
      { type: 'auth', token: 't', payload: 't' },
      { type: 'subscribe', id: 'c1', types: [] },
      { type: 'subscribe', id: 'c1', types: ['call.*'], after_seq: -1 },
      { type: 'hello' },
      'auth',
    ],
  },
  WsServerMessageSchema: {
    schema: T.WsServerMessageSchema,
    valid: [
      {
        type: 'auth',
        success: true,
        payload: { connection: { uuid: ids.other, ip: '127.0.0.1' }, user, account, expires_on: at },
      },
      { type: 'auth', success: false, code: 'invalid_token', message: 'Token expired' },
      { type: 'authresponse', success: false, code: 'invalid_token', message: 'Token expired' },
      { type: 'subscribed', id: 'c1', subscription: ids.other, last_seq: 5678, recovered: true },
      { type: 'event', subscription: ids.other, event: event('call.ringing', call) },
      { type: 'token_expiring', expires_on: at },
      { type: 'pong' },
      { type: 'error', code: 'bad_message', message: 'Not JSON' },
    ],
    invalid: [
      { type: 'subscribed', id: 'c1' },
      { type: 'event', event: {} },
    ],
  },
};

describe('every schema accepts the shapes of the contract and refuses the rest', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name} accepts its valid fixtures`, () => {
      for (const v of c.valid) {
        const r = c.schema.safeParse(v);
        expect(r.error?.issues, JSON.stringify(v).slice(0, 200)).toBeUndefined();
      }
    });
    it(`${name} refuses its invalid fixtures with a message`, () => {
      for (const v of c.invalid) {
        const r = c.schema.safeParse(v);
        expect(r.success, JSON.stringify(v).slice(0, 200)).toBe(false);
        expect(r.error?.issues[0]?.message.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('responses stay forward compatible', () => {
  it('a response with a field this version does not know parses, and the field is dropped', () => {
    const r = T.SmsSchema.parse({ ...sms, rcs_fallback: true });
    expect(r.uuid).toBe(ids.sms);
    expect('rcs_fallback' in r).toBe(false);
  });
  it('request bodies are strict: an unknown field is refused so typos never pass silently', () => {
    const r = T.CreateCallRequestSchema.safeParse({ from: '+12015550100', to: '+12015550123', talksecs: 3 });
    expect(r.success).toBe(false);
  });
  it('the list and success envelopes wrap any item schema', () => {
    const page = T.successEnvelope(T.listPayload(T.LeaseSchema)).parse({
      success: true,
      payload: { take: 10, skip: 0, total: 1, data: [lease] },
    });
    expect(page.payload.data[0]?.tn).toBe('+12015550100');
  });
  it('pagination query defaults to take 10, skip 0 and refuses take over 100', () => {
    expect(T.PaginationQuerySchema.parse({})).toEqual({ take: 10, skip: 0 });
    expect(T.PaginationQuerySchema.safeParse({ take: '101' }).success).toBe(false);
  });
});
