// The event frames both benches send: schema-valid `call.ringing` events of one account.

export const T = '2026-01-16T14:15:48.540Z';
const CALL = '33333333-3333-4333-8333-333333333333';
export const ACCOUNT = '11111111-1111-4111-8111-111111111111';
/** The server's id of the one subscription both benches make. */
export const SUBSCRIPTION = '66666666-6666-4666-8666-666666666666';

/** One `call.ringing` event frame with this `seq`, valid against the event schemas. */
export function callFrame(seq: number): string {
  const event = {
    uuid: '77777777-7777-4777-8777-777777777777',
    seq,
    type: 'call.ringing',
    account_id: ACCOUNT,
    created_on: T,
    ref_id: CALL,
    message: `Call out +12015550100 > +12015550123 - ringing`,
    payload: {
      uuid: CALL,
      direction: 'out',
      from: '+12015550100',
      to: '+12015550123',
      state: 'ringing',
      duration: 0,
      init_on: T,
      ring_on: T,
      answer_on: null,
      hangup_on: null,
      destroy_on: null,
      q850_cause: null,
      q850_cause_string: null,
      parent: null,
      batch: null,
    },
  };
  return JSON.stringify({ type: 'event', subscription: SUBSCRIPTION, event });
}
