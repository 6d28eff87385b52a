import type { CallwireClient, WithResponse } from '@callwire/rest-client';
import type { AccountApi, Keyed, PrincipalApi } from './api.js';

/** Lists stop at `limit` items, fetched in pages of up to 100 (the contract's maximum). */
function listOptions(limit: number) {
  return { pageSize: Math.max(1, Math.min(limit, 100)) };
}

function keyed<T>(result: Promise<WithResponse<T>>): Promise<Keyed<T>> {
  return result.then(({ data, response }) => ({
    data,
    replayed: response.headers.get('idempotent-replayed') === 'true',
  }));
}

/** The CLI's operations mapped onto @callwire/rest-client. */
export function createRestApi(client: CallwireClient): PrincipalApi {
  const accountApi = (c: CallwireClient): AccountApi => ({
    account: () => c.accounts.current(),
    searchNumbers: (filter, limit) => c.numbers.search(filter, listOptions(limit)).toArray({ limit }),
    orderNumbers: (request) => c.numbers.order(request),
    getOrder: (uuid) => c.numbers.orders.get(uuid),
    listNumbers: (limit) => c.numbers.list({}, listOptions(limit)).toArray({ limit }),
    releaseNumber: async (tn) => {
      await c.numbers.release(tn);
    },
    sendSms: (request) => c.sms.send(request),
    listSms: (filter, limit) => c.sms.search(filter, listOptions(limit)).toArray({ limit }),
    makeCall: (request) => c.calls.create(request),
    hangupCall: (uuid) => c.calls.hangup(uuid),
    getCall: (uuid) => c.calls.get(uuid),
    listCalls: (filter, limit) => c.calls.search(filter, listOptions(limit)).toArray({ limit }),
    sendSmsKeyed: (request, idempotencyKey) => keyed(c.sms.send(request, { idempotencyKey }).withResponse()),
    makeCallKeyed: (request, idempotencyKey) =>
      keyed(c.calls.create(request, { idempotencyKey }).withResponse()),
    simulateCall: (request) => c.simulate.call(request),
    simulateSms: (request) => c.simulate.sms(request),
    listSubscriptions: (limit) => c.events.subscriptions.list(listOptions(limit)).toArray({ limit }),
    createSubscription: (request) => c.events.subscriptions.create(request),
    deleteSubscription: async (uuid) => {
      await c.events.subscriptions.delete(uuid);
    },
    listDeliveries: (id, limit) => c.events.deliveries(id, listOptions(limit)).toArray({ limit }),
    callData: (start, end) => c.reports.callData({ start_date: start, end_date: end }),
    createToken: (name, ttl) => c.auth.tokens.create({ name, ttl }),
    listTokens: () => c.auth.tokens.list().toArray({ limit: 1000 }),
    revokeToken: async (uuid) => {
      await c.auth.tokens.revoke(uuid);
    },
  });
  return {
    accounts: () => client.accounts.list().toArray(),
    profile: () => client.auth.profile(),
    forAccount: (accountId) => accountApi(client.forAccount(accountId)),
    tokenAccount: () => accountApi(client),
  };
}
