/**
 * Tables of migration 003 (events, their per-account counter, subscriptions and webhook deliveries);
 * since migration 009 `event`'s only key is (account_id, seq).
 * Times are ISO-8601 UTC strings with milliseconds on both dialects: they sort as text, and they
 * are what the API returns. Booleans are 0/1 integers on both dialects. `event.json` is the whole
 * event object serialized once at emit time, so reads and fan-out never re-serialize it.
 */
export interface EventTable {
  uuid: string;
  account_id: string;
  seq: number;
  type: string;
  ref_id: string;
  created_on: string;
  json: string;
}

export interface EventCounterTable {
  account_id: string;
  last_seq: number;
}

export interface EventSubscriptionTable {
  uuid: string;
  account_id: string;
  /** The user whose connections a `wss` subscription applies to; null when an integrator made it. */
  user_id: string | null;
  /** Who created it: `user:<uuid>` or `integrator:<app key>`. */
  created_by: string;
  channel: 'wss' | 'webhook';
  /** JSON array of patterns. */
  types: string;
  url: string | null;
  is_active: number;
  expired_on: string | null;
  signing_secret: string | null;
  created_on: string;
  modified_on: string;
  deleted_on: string | null;
}

export interface WebhookDeliveryTable {
  uuid: string;
  subscription_id: string;
  account_id: string;
  event_id: string;
  event_type: string;
  seq: number;
  /** The exact body sent and signed. */
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  /** When the next attempt is due, while pending (the attempt itself is a step: `sim_step`). */
  next_attempt_on: string | null;
  created_on: string;
  modified_on: string;
}

export interface WebhookAttemptTable {
  delivery_id: string;
  attempt: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
  attempted_on: string;
}

/** Users with websockets on an instance (migration 007); see realtime/shared-presence.ts. */
export interface WsPresenceTable {
  instance_id: string;
  user_id: string;
  expires_on: string;
}

export interface EventsTables {
  ws_presence: WsPresenceTable;
  event: EventTable;
  event_counter: EventCounterTable;
  event_subscription: EventSubscriptionTable;
  webhook_delivery: WebhookDeliveryTable;
  webhook_attempt: WebhookAttemptTable;
}
