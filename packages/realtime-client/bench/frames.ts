// The event frames both benches send: schema-valid `call.ringing` events of one account, shaped like
// a real stream: every event has its own id and time, and each call (its id, times and numbers)
// carries a few consecutive events, as a call's lifecycle does.

import { ringingCall } from '../test/helpers/fixtures.ts';

export const T = '2026-01-16T14:15:48.540Z';
const START = Date.parse(T);
/** Consecutive events of one call. */
const EVENTS_PER_CALL = 6;
export const ACCOUNT = '11111111-1111-4111-8111-111111111111';
/** The server's id of the one subscription both benches make. */
export const SUBSCRIPTION = '66666666-6666-4666-8666-666666666666';

/** A v4 UUID made from `n` (distinct for distinct `n`, and spread like a random one). */
function uuidOf(n: number): string {
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  const a = hex(Math.imul(n ^ 0x9e3779b9, 0x85ebca6b));
  const b = hex(Math.imul(n ^ 0xc2b2ae35, 0x27d4eb2f));
  const c = hex(n);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${b.slice(1, 4)}-${c}${a.slice(4)}`;
}

/** One `call.ringing` event frame with this `seq`, valid against the event schemas. */
export function callFrame(seq: number): string {
  const call = Math.floor((seq - 1) / EVENTS_PER_CALL);
  const callId = uuidOf(call * 2 + 1);
  const callStarted = new Date(START + call * EVENTS_PER_CALL).toISOString();
  const event = {
    uuid: uuidOf(seq * 2),
    seq,
    type: 'call.ringing',
    account_id: ACCOUNT,
    created_on: new Date(START + seq).toISOString(),
    ref_id: callId,
    message: `Call out +12015550100 > +12015550123 - ringing`,
    payload: ringingCall(callId, callStarted),
  };
  return JSON.stringify({ type: 'event', subscription: SUBSCRIPTION, event });
}
