import type { PublishedEvent } from './published-event.js';

/** What `emit` takes: the event minus what the store assigns (uuid, seq, created_on). */
export interface EmitInput {
  accountId: string;
  /** One of the contract's event types (`call.ringing`, `sms.delivered`, …). */
  type: string;
  /** The resource's uuid. */
  refId: string;
  /** A human line: `"Call out +12015550100 > +12015550123 - ringing"`. */
  message: string;
  /** The resource as `GET` would return it at this moment. */
  payload: unknown;
}

/** The event object, as stored and sent. */
export interface StoredEvent {
  uuid: string;
  seq: number;
  type: string;
  account_id: string;
  created_on: string;
  ref_id: string;
  message: string;
  payload: unknown;
}

export type Emit = (event: EmitInput) => Promise<StoredEvent>;

/** A recorded event inside a transaction, before commit. */
export interface RecordedEvent extends PublishedEvent {
  uuid: string;
}
