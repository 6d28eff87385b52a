import type { Generated } from 'kysely';

/**
 * Tables of migration 002 (numbers, messaging, calls, SIP). As in the rest of the server, times are
 * ISO-8601 UTC strings with milliseconds (they sort as text and are what the API returns),
 * booleans are 0/1 integers and money is integer micro-dollars, on both dialects. Lists that are
 * only ever read whole (features, black/white lists, order items) are JSON text.
 */
export interface TnLeaseTable {
  uuid: string;
  account_id: string;
  tn: string;
  country: string;
  state: string;
  city: string;
  rate_center: string;
  features: string;
  voice: number;
  sms: number;
  autorenew: number;
  messaging_profile: string | null;
  sip_connection: string | null;
  tn_profile: string | null;
  call_flow_xml: string | null;
  call_flow_url: string | null;
  monthly_cost_micros: number;
  order_id: string | null;
  /** End of the paid month (migration 004); renewed or released when it passes. */
  paid_until: string | null;
  created_on: string;
  modified_on: string;
  deleted_on: string | null;
}

export interface TnOrderTable {
  uuid: string;
  account_id: string;
  state: string;
  /** JSON array of OrderItem. */
  items: string;
  /** JSON array of {tn, code, message}. */
  errors: string;
  cost_micros: number;
  created_on: string;
  modified_on: string;
}

export interface TnProfileTable {
  uuid: string;
  account_id: string;
  name: string;
  blacklist: string;
  whitelist: string;
  created_on: string;
  modified_on: string;
  deleted_on: string | null;
}

export interface MessagingProfileTable {
  uuid: string;
  account_id: string;
  name: string;
  callback_url: string | null;
  number_pool_enable: number;
  sticky_sender: number;
  created_on: string;
  modified_on: string;
  deleted_on: string | null;
}

/** Sticky sender: the `from` a messaging profile keeps using for one recipient. */
export interface StickySenderTable {
  profile_id: string;
  to_tn: string;
  from_tn: string;
  created_on: string;
}

export interface SmsTable {
  uuid: string;
  account_id: string;
  type: 'smso' | 'smsi';
  direction: 'in' | 'out';
  state: string;
  from_tn: string;
  to_tn: string;
  message: string;
  thread: string;
  delivered: number;
  segments: number;
  cost_micros: number;
  messaging_profile: string | null;
  custom_callback_url: string | null;
  error: string | null;
  created_on: string;
  modified_on: string;
  sent_on: string | null;
  delivered_on: string | null;
}

export interface CallTable {
  uuid: string;
  account_id: string;
  direction: 'in' | 'out';
  from_tn: string;
  to_tn: string;
  state: string;
  duration: number;
  billable_seconds: number;
  cost_micros: number;
  init_on: string;
  ring_on: string | null;
  answer_on: string | null;
  hangup_on: string | null;
  destroy_on: string | null;
  q850_cause: number | null;
  parent: string | null;
  batch: string | null;
  bridged_with: string | null;
  call_flow_xml: string | null;
  talk_secs: number | null;
  timeout_secs: number | null;
  modified_on: string;
  /** The click-to-call or rapid-response request this leg belongs to (migration 006). */
  composite: string | null;
}

export interface CallBatchTable {
  uuid: string;
  account_id: string;
  state: string;
  from_tn: string;
  /** JSON array of E.164 numbers. */
  phones: string;
  total: number;
  started: number;
  completed: number;
  failed: number;
  concurrency: number;
  call_flow_xml: string | null;
  talk_secs: number | null;
  created_on: string;
  modified_on: string;
}

export interface OriginateTable {
  uuid: string;
  account_id: string;
  caller: string;
  callee: string;
  from_tn: string;
  caller_call: string;
  callee_call: string | null;
  state: string;
  created_on: string;
  modified_on: string;
}

export interface RapidResponseTable {
  uuid: string;
  account_id: string;
  callee: string;
  agent: string;
  whisper_text: string;
  queue_status: string;
  agent_call: string | null;
  created_on: string;
  modified_on: string;
}

export interface SipConnectionTable {
  uuid: string;
  account_id: string;
  name: string;
  host: string | null;
  port: number | null;
  transport: string;
  created_on: string;
  modified_on: string;
  deleted_on: string | null;
}

export interface SipDomainTable {
  uuid: string;
  account_id: string;
  domain: string;
  name: string | null;
  created_on: string;
  modified_on: string;
  deleted_on: string | null;
}

export interface SipUserTable {
  uuid: string;
  account_id: string;
  domain_id: string;
  username: string;
  /** scrypt hash; the password itself is never stored nor returned. */
  password_hash: string;
  caller_id: string | null;
  created_on: string;
  modified_on: string;
  deleted_on: string | null;
}

/** A pending step of the simulated network (migration 006); see `sim/step-store.ts`. */
export interface SimStepTable {
  id: Generated<number>;
  kind: string;
  target: string;
  account_id: string;
  /** JSON. */
  payload: string;
  due_on: string;
  attempt: number;
  /** The instance running it now, until `lease_until`. */
  lease_owner: string | null;
  lease_until: string | null;
  created_on: string;
}

export interface TelephonyTables {
  sim_step: SimStepTable;
  tn_lease: TnLeaseTable;
  tn_order: TnOrderTable;
  tn_profile: TnProfileTable;
  messaging_profile: MessagingProfileTable;
  sticky_sender: StickySenderTable;
  sms: SmsTable;
  call: CallTable;
  call_batch: CallBatchTable;
  originate: OriginateTable;
  rapid_response: RapidResponseTable;
  sip_connection: SipConnectionTable;
  sip_domain: SipDomainTable;
  sip_user: SipUserTable;
}
