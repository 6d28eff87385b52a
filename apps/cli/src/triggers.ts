import type { Lease } from '@callwire/types';
import { CliError } from './errors.js';
import type { AccountApi } from './sdk/api.js';

/** What `callwire trigger` did to make the event happen. */
export interface Triggered {
  type: string;
  /** What was created: `sms` or `call`, and its uuid. */
  resource: { kind: 'sms' | 'call'; uuid: string };
  description: string;
}

interface Recipe {
  /** Needs a number of the account with this feature on. */
  needs: 'sms' | 'voice';
  run(api: AccountApi, number: string): Promise<{ kind: 'sms' | 'call'; uuid: string; description: string }>;
}

/** Far ends on the simulated network: an ordinary number, and one whose messages fail. */
const FAR_END = '+12125550123';
const FAILING_SMS_DESTINATION = '+12125550404';
const OUTSIDE = '+12125550100';
const TEXT = 'Test message from callwire trigger';

const outboundSms = (to: string): Recipe => ({
  needs: 'sms',
  async run(api, from) {
    const sms = await api.sendSms({ from, to, message: TEXT });
    return { kind: 'sms', uuid: sms.uuid, description: `sent an SMS from ${from} to ${to}` };
  },
});

const outboundCall = (flow?: string): Recipe => ({
  needs: 'voice',
  async run(api, from) {
    const call = await api.makeCall({
      from,
      to: FAR_END,
      talk_secs: 1,
      ...(flow ? { call_flow_xml: flow } : {}),
    });
    return { kind: 'call', uuid: call.uuid, description: `called ${FAR_END} from ${from}` };
  },
});

const inboundSms: Recipe = {
  needs: 'sms',
  async run(api, to) {
    const sms = await api.simulateSms({ from: OUTSIDE, to, message: TEXT });
    return { kind: 'sms', uuid: sms.uuid, description: `simulated an SMS from ${OUTSIDE} to ${to}` };
  },
};

/**
 * The event types `callwire trigger` can cause, each with the smallest real action that records it:
 * a message, a call (answered, one second of talk), or simulated inbound traffic (demo server). Every
 * action is billed like the real one; the far ends are fixed numbers of the simulated network.
 */
const RECIPES: Record<string, Recipe> = {
  'sms.created': outboundSms(FAR_END),
  'sms.sent': outboundSms(FAR_END),
  'sms.delivered': outboundSms(FAR_END),
  'sms.failed': outboundSms(FAILING_SMS_DESTINATION),
  'sms.received': inboundSms,
  'account.balance.changed': outboundSms(FAR_END),
  'call.initiated': outboundCall(),
  'call.ringing': outboundCall(),
  'call.answered': outboundCall(),
  'call.live': outboundCall(),
  'call.hangup': outboundCall(),
  'call.destroyed': outboundCall(),
  'call.callflow': outboundCall('<Response><Say>Test call from callwire trigger</Say><Hangup/></Response>'),
};

export const TRIGGER_TYPES: readonly string[] = Object.keys(RECIPES);

/** The first triggerable type a list of patterns (`sms.*`, `*`, `call.hangup`) subscribes to. */
export function triggerFor(patterns: readonly string[]): string | undefined {
  const matches = (type: string, pattern: string) =>
    pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)));
  // Prefer an inbound SMS: it needs nothing but a number, and costs nothing.
  const order = ['sms.received', ...TRIGGER_TYPES.filter((t) => t !== 'sms.received')];
  return order.find((type) => patterns.some((p) => matches(type, p)));
}

/** Performs the action behind `type` with one of the account's numbers. */
export async function trigger(api: AccountApi, type: string, leases: readonly Lease[]): Promise<Triggered> {
  const recipe = RECIPES[type];
  if (recipe === undefined) throw new CliError(`${type} cannot be triggered.`);
  const lease = leases.find((l) => (recipe.needs === 'sms' ? l.sms : l.voice));
  if (lease === undefined) {
    throw new CliError(
      `${type} needs a number of this account with ${recipe.needs === 'sms' ? 'SMS' : 'voice'} on, and there is none.`,
      'Buy one with `callwire numbers search` and `callwire numbers buy`.',
    );
  }
  const done = await recipe.run(api, lease.tn);
  return { type, resource: { kind: done.kind, uuid: done.uuid }, description: done.description };
}
