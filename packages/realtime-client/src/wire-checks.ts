import type { EventPage, UnknownEvent } from '@callwire/types';

/*
 * Hand-written checks of the few server answers the client itself reads: only the fields it uses.
 * The full schemas live in @callwire/types; using them here would put a schema library into every
 * app that bundles this client, even one that never validates events.
 */

type Fields = Record<string, unknown>;

function fields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** When the socket's authentication expires (local epoch ms), from the `auth` answer's payload; NaN if unknown. */
export function authExpiry(payload: unknown): number {
  const expiresOn = fields(payload)?.expires_on;
  return typeof expiresOn === 'string' ? Date.parse(expiresOn) : Number.NaN;
}

/** The fields of a `subscribed` frame the client acts on. */
export interface SubscribedFrame {
  id: string;
  subscription: string;
  account_id: string | undefined;
  last_seq: number;
  recovered: boolean;
}

/** A `subscribed` frame's fields, or undefined when one of them is missing or malformed. */
export function readSubscribed(message: Fields): SubscribedFrame | undefined {
  const { id, subscription, account_id, last_seq, recovered } = message;
  if (typeof id !== 'string' || typeof subscription !== 'string' || subscription.length === 0)
    return undefined;
  if (account_id !== undefined && typeof account_id !== 'string') return undefined;
  if (!isSeq(last_seq) || typeof recovered !== 'boolean') return undefined;
  return { id, subscription, account_id, last_seq, recovered };
}

/** A backfill page (`GET /rest/event`), or undefined when it is not one. Events need a seq and a type. */
export function readEventPage(payload: unknown): EventPage | undefined {
  const page = fields(payload);
  if (page === undefined) return undefined;
  const { after_seq, take, last_seq, oldest_seq, recovered, has_more, data } = page;
  if (!isSeq(after_seq) || !isSeq(take) || !isSeq(last_seq)) return undefined;
  if (oldest_seq !== null && !isSeq(oldest_seq)) return undefined;
  if (typeof recovered !== 'boolean' || typeof has_more !== 'boolean' || !Array.isArray(data))
    return undefined;
  for (const event of data) {
    const candidate = fields(event);
    if (candidate === undefined || !isSeq(candidate.seq) || typeof candidate.type !== 'string')
      return undefined;
  }
  return { after_seq, take, last_seq, oldest_seq, recovered, has_more, data: data as UnknownEvent[] };
}
