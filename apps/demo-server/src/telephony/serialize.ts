import type {
  Batch,
  Call,
  Lease,
  MessagingProfile,
  Order,
  OrderItem,
  SipConnection,
  SipDomain,
  SipUser,
  Sms,
  TnProfile,
} from '@callwire/types';
import type { Selectable } from 'kysely';
import type {
  CallBatchTable,
  CallTable,
  MessagingProfileTable,
  SipConnectionTable,
  SipDomainTable,
  SipUserTable,
  SmsTable,
  TnLeaseTable,
  TnOrderTable,
  TnProfileTable,
} from './db/tables.js';
import { toDollars } from './money.js';
import { q850String } from './q850.js';

/** Rows → the API's shapes: what GET returns and what every event carries as its payload. */
const bool = (v: unknown): boolean => v === 1 || v === true || v === '1';
const num = (v: unknown): number => Number(v);

export function leaseOut(r: Selectable<TnLeaseTable>): Lease {
  return {
    uuid: r.uuid,
    tn: r.tn,
    country: r.country,
    state: r.state,
    city: r.city,
    rate_center: r.rate_center,
    features: JSON.parse(r.features) as Lease['features'],
    voice: bool(r.voice),
    sms: bool(r.sms),
    autorenew: bool(r.autorenew),
    messaging_profile: r.messaging_profile,
    sip_connection: r.sip_connection,
    tn_profile: r.tn_profile,
    call_flow_xml: r.call_flow_xml,
    call_flow_url: r.call_flow_url,
    monthly_cost: toDollars(num(r.monthly_cost_micros)),
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}

export function orderOut(r: Selectable<TnOrderTable>): Order {
  const items = JSON.parse(r.items) as OrderItem[];
  return {
    uuid: r.uuid,
    state: r.state as Order['state'],
    items,
    total: items.length,
    success: items.filter((i) => i.state === 'success').length,
    processing: items.filter((i) => i.state === 'pending' || i.state === 'processing').length,
    failed: items.filter((i) => i.state === 'failed').length,
    errors: JSON.parse(r.errors) as Order['errors'],
    cost: toDollars(num(r.cost_micros)),
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}

export function tnProfileOut(r: Selectable<TnProfileTable>): TnProfile {
  return {
    uuid: r.uuid,
    name: r.name,
    blacklist: JSON.parse(r.blacklist) as string[],
    whitelist: JSON.parse(r.whitelist) as string[],
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}

export function messagingProfileOut(r: Selectable<MessagingProfileTable>): MessagingProfile {
  return {
    uuid: r.uuid,
    name: r.name,
    callback_url: r.callback_url,
    number_pool_enable: bool(r.number_pool_enable),
    sticky_sender: bool(r.sticky_sender),
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}

export function smsOut(r: Selectable<SmsTable>): Sms {
  return {
    uuid: r.uuid,
    type: r.type,
    direction: r.direction,
    state: r.state as Sms['state'],
    from: r.from_tn,
    to: r.to_tn,
    message: r.message,
    thread: r.thread,
    delivered: bool(r.delivered),
    segments: num(r.segments),
    cost: toDollars(num(r.cost_micros)),
    messaging_profile: r.messaging_profile,
    error: r.error,
    created_on: r.created_on,
    modified_on: r.modified_on,
    sent_on: r.sent_on,
    delivered_on: r.delivered_on,
  };
}

export function callOut(r: Selectable<CallTable>): Call {
  const cause = r.q850_cause === null ? null : num(r.q850_cause);
  return {
    uuid: r.uuid,
    direction: r.direction,
    from: r.from_tn,
    to: r.to_tn,
    state: r.state as Call['state'],
    duration: num(r.duration),
    init_on: r.init_on,
    ring_on: r.ring_on,
    answer_on: r.answer_on,
    hangup_on: r.hangup_on,
    destroy_on: r.destroy_on,
    q850_cause: cause,
    q850_cause_string: cause === null ? null : q850String(cause),
    parent: r.parent,
    batch: r.batch,
    bridged_with: r.bridged_with,
    cost: toDollars(num(r.cost_micros)),
  };
}

export function batchOut(r: Selectable<CallBatchTable>): Batch {
  return {
    uuid: r.uuid,
    state: r.state as Batch['state'],
    from: r.from_tn,
    total: num(r.total),
    completed: num(r.completed),
    failed: num(r.failed),
    concurrency: num(r.concurrency),
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}

export function sipConnectionOut(r: Selectable<SipConnectionTable>, tnCount?: number): SipConnection {
  return {
    uuid: r.uuid,
    name: r.name,
    host: r.host,
    port: r.port === null ? null : num(r.port),
    transport: r.transport as SipConnection['transport'],
    ...(tnCount === undefined ? {} : { tn_count: tnCount }),
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}

export function sipDomainOut(r: Selectable<SipDomainTable>): SipDomain {
  return {
    uuid: r.uuid,
    domain: r.domain,
    name: r.name,
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}

/** The password hash is not in here on purpose: passwords are write-only. */
export function sipUserOut(r: Selectable<SipUserTable>, domain: string): SipUser {
  return {
    uuid: r.uuid,
    domain,
    username: r.username,
    caller_id: r.caller_id,
    created_on: r.created_on,
    modified_on: r.modified_on,
  };
}
