import { ALICE, type As, BOB, DAVE, NOBODY, until } from './conformance-callers.js';
import { ACME } from './rest-server.js';

/** Conformance traffic of numbers, messaging, calls and SIP. */

export async function numbers(as: As): Promise<{ sms: string; voice: string }> {
  const alice = as(ALICE);
  const found = await alice({
    method: 'POST',
    url: '/rest/tn/search?page=1&size=2',
    json: { country: 'US', npa: '201' },
  });
  await alice({ method: 'POST', url: '/rest/tn/search' });
  await alice({ method: 'POST', url: '/rest/tn/search', json: { features: ['fax'] } });
  const tn = found.body.payload.data[0].tn as string;
  const order = await alice({
    method: 'POST',
    url: '/rest/order',
    json: { items: [{ tn, features: ['voice', 'sms'], autorenew: false }] },
    headers: { 'idempotency-key': 'order-1' },
  });
  await alice({
    method: 'POST',
    url: '/rest/order',
    json: { items: [{ tn, features: ['voice', 'sms'], autorenew: false }] },
    headers: { 'idempotency-key': 'order-1' },
  });
  await alice({
    method: 'POST',
    url: '/rest/order',
    json: { items: [] },
    headers: { 'idempotency-key': 'order-1' },
  });
  await alice({ method: 'POST', url: '/rest/order', json: { items: 'all' } });
  await until(
    async () =>
      (await alice({ method: 'GET', url: `/rest/order/${order.body.payload.uuid}` })).body.payload.state !==
      'processing',
  );
  await alice({ method: 'GET', url: `/rest/order/${NOBODY}` });
  await alice({ method: 'POST', url: '/rest/order/search?take=5', json: { state: 'success' } });
  const leases = await alice({ method: 'POST', url: '/rest/lease/tn/search', json: { sms: true } });
  await alice({ method: 'POST', url: '/rest/lease/tn/search?take=500' });
  await alice({ method: 'GET', url: `/rest/lease/tn/${encodeURIComponent(tn)}` });
  await alice({ method: 'GET', url: '/rest/lease/tn/+19999999999' });
  await alice({
    method: 'PATCH',
    url: `/rest/lease/tn/${encodeURIComponent(tn)}`,
    json: { autorenew: true },
  });
  await alice({
    method: 'PATCH',
    url: `/rest/lease/tn/${encodeURIComponent(tn)}`,
    json: { autorenew: 'yes' },
  });
  await alice({ method: 'DELETE', url: `/rest/lease/tn/${encodeURIComponent(tn)}/subscription/sms` });
  await alice({ method: 'POST', url: `/rest/lease/tn/${encodeURIComponent(tn)}/subscription/sms` });
  await alice({
    method: 'POST',
    url: `/rest/lease/tn/${encodeURIComponent(tn)}/subscription/sms`,
    json: { messaging_profile: 'x' },
  });
  await alice({ method: 'DELETE', url: `/rest/lease/tn/${encodeURIComponent(tn)}` });

  const profile = await alice({
    method: 'POST',
    url: '/rest/profile/tn',
    json: { name: 'front desk', blacklist: ['+12015550999'] },
  });
  const id = profile.body.payload.uuid as string;
  await alice({ method: 'GET', url: '/rest/profile/tn?take=3' });
  await alice({ method: 'GET', url: `/rest/profile/tn/${id}` });
  await alice({ method: 'PATCH', url: `/rest/profile/tn/${id}`, json: { name: 'reception' } });
  await alice({ method: 'POST', url: `/rest/profile/tn/${id}/whitelist`, json: { add: ['2015550111'] } });
  await alice({ method: 'POST', url: `/rest/profile/tn/${id}/greylist`, json: { add: ['2015550111'] } });
  await alice({ method: 'POST', url: '/rest/profile/tn', json: { name: 'bad', blacklist: ['call me'] } });
  await alice({ method: 'DELETE', url: `/rest/profile/tn/${id}` });
  await alice({ method: 'GET', url: `/rest/profile/tn/${id}` });
  const data = leases.body.payload.data as Array<{ tn: string; voice: boolean; sms: boolean }>;
  return {
    sms: (data.find((l) => l.sms) ?? data[0])!.tn,
    voice: (data.find((l) => l.voice) ?? data[0])!.tn,
  };
}

export async function messaging(as: As, from: string): Promise<void> {
  const alice = as(ALICE);
  const sent = await alice({
    method: 'POST',
    url: '/rest/sms',
    json: { from, to: '+12015550123', message: 'hello' },
  });
  await alice({ method: 'POST', url: '/rest/sms', form: { from, to: '2015550124', message: 'by form' } });
  await alice({ method: 'POST', url: '/rest/sms', json: { from, to: '+12015550123', message: '' } });
  await alice({
    method: 'POST',
    url: '/rest/sms',
    json: { from, to: '+12015550123', message: 'x', account_id: ACME },
  });
  await as(DAVE)({ method: 'POST', url: '/rest/sms', json: { from, to: '+12015550123', message: 'x' } });
  await alice({ method: 'GET', url: `/rest/sms/${sent.body.payload.uuid}` });
  await alice({ method: 'GET', url: `/rest/sms/${NOBODY}` });
  await alice({ method: 'POST', url: '/rest/sms/search', json: { direction: 'out' } });
  await alice({ method: 'POST', url: '/rest/sms/search?take=2&skip=1', json: {} });
  await alice({ method: 'POST', url: '/rest/sms/search', json: { direction: 'sideways' } });
  const profile = await alice({
    method: 'POST',
    url: '/rest/profile/messaging',
    json: { name: 'alerts', sticky_sender: true },
  });
  const id = profile.body.payload.uuid as string;
  await alice({ method: 'GET', url: '/rest/profile/messaging' });
  await alice({ method: 'GET', url: `/rest/profile/messaging/${id}` });
  await alice({ method: 'PATCH', url: `/rest/profile/messaging/${id}`, json: { callback_url: null } });
  await alice({ method: 'PATCH', url: `/rest/profile/messaging/${id}`, json: { name: 7 } });
  await alice({ method: 'DELETE', url: `/rest/profile/messaging/${id}` });
  await alice({ method: 'DELETE', url: `/rest/profile/messaging/${id}` });
}

export async function calls(as: As, from: string): Promise<void> {
  const alice = as(ALICE);
  const dial = (to: string) =>
    alice({ method: 'POST', url: '/rest/call', json: { from, to, talk_secs: 600 } });
  const [a, b] = [
    (await dial('+12015550101')).body.payload.uuid,
    (await dial('+12015550102')).body.payload.uuid,
  ];
  await alice({ method: 'POST', url: '/rest/call', json: { from, to: '+12015550103', timeout_secs: 0 } });
  const live = async (id: string) =>
    (await alice({ method: 'GET', url: `/rest/call/${id}` })).body.payload.state === 'live';
  await until(async () => (await live(a)) && (await live(b)));
  await alice({ method: 'POST', url: '/rest/call/bridge', json: { call_a: a, call_b: b } });
  await alice({ method: 'POST', url: '/rest/call/bridge', json: { call_a: a } });
  await alice({ method: 'POST', url: `/rest/call/${a}/hangup` });
  await alice({ method: 'POST', url: `/rest/call/${NOBODY}/hangup` });
  await alice({ method: 'POST', url: '/rest/call/search', json: { direction: 'out' } });
  await alice({ method: 'POST', url: '/rest/call/search', json: { state: 'dancing' } });
  const batch = await alice({
    method: 'POST',
    url: '/rest/batch',
    json: { from, phones: ['+12015550104', '+12015550486'] },
  });
  await alice({ method: 'GET', url: `/rest/batch/${batch.body.payload.uuid}` });
  await alice({ method: 'POST', url: '/rest/batch', json: { from, phones: 'everyone' } });
  const origination = await alice({
    method: 'POST',
    url: '/rest/voice/originate',
    json: { caller: '+12015550105', callee: '+12015550106', from },
  });
  await alice({ method: 'GET', url: `/rest/voice/originate/${origination.body.payload.uuid}` });
  await alice({ method: 'GET', url: `/rest/voice/originate/${NOBODY}` });
  const lead = { callee: '+12015550107', whisper_text: 'New lead', agent: '+12015550108' };
  await alice({ method: 'POST', url: '/rest/voice/rapidresponse', json: lead });
  await alice({ method: 'POST', url: '/rest/voice/rapidresponse', json: lead });
  await alice({ method: 'GET', url: '/rest/reports/call-data?start_date=2020-01-01&end_date=2020-02-01' });
  await alice({ method: 'GET', url: '/rest/reports/call-data?start_date=yesterday&end_date=2020-02-01' });
  await alice({ method: 'POST', url: '/rest/simulate/call', json: { from: '+12015550109', to: from } });
  await alice({
    method: 'POST',
    url: '/rest/simulate/sms',
    json: { from: '+12015550109', to: from, message: 'hi' },
  });
  await as(BOB)({
    method: 'POST',
    url: '/rest/simulate/sms',
    json: { from: '+12015550109', to: from, message: 'hi' },
    headers: { 'x-account-id': ACME },
  });
}

export async function sip(as: As, tn: string): Promise<void> {
  const alice = as(ALICE);
  const connection = await alice({
    method: 'POST',
    url: '/rest/sip/connection',
    json: { name: 'pbx', host: 'pbx.acme.example', port: 5060 },
  });
  const id = connection.body.payload.uuid as string;
  await alice({ method: 'GET', url: '/rest/sip/connection' });
  await alice({ method: 'GET', url: `/rest/sip/connection/${id}` });
  await alice({ method: 'PATCH', url: `/rest/sip/connection/${id}`, json: { transport: 'tls' } });
  await alice({
    method: 'PATCH',
    url: `/rest/sip/connection/${id}`,
    json: { transport: 'carrier-pigeon' },
  });
  await alice({ method: 'POST', url: `/rest/sip/connection/${id}/tnlease`, json: { add: [] } });
  await alice({ method: 'POST', url: `/rest/sip/connection/${id}/tnlease`, json: { add: [tn] } });
  await alice({ method: 'GET', url: `/rest/sip/connection/${id}/tnlease` });
  await alice({ method: 'DELETE', url: `/rest/sip/connection/${id}` });
  await alice({
    method: 'POST',
    url: '/rest/sip/domain',
    json: { domain: 'acme.sip.example', name: 'Acme' },
  });
  await alice({ method: 'POST', url: '/rest/sip/domain', json: { domain: 'acme.sip.example' } });
  await alice({ method: 'POST', url: '/rest/sip/domain', json: { domain: 'not a domain' } });
  await alice({ method: 'GET', url: '/rest/sip/domain' });
  await alice({ method: 'GET', url: '/rest/sip/domain/acme.sip.example' });
  await alice({ method: 'PATCH', url: '/rest/sip/domain/acme.sip.example', json: { name: null } });
  const user = await alice({
    method: 'POST',
    url: '/rest/sip/domain/acme.sip.example/user',
    json: { username: 'desk1', password: 'a-long-secret-1' },
  });
  await alice({ method: 'GET', url: '/rest/sip/domain/acme.sip.example/user' });
  await alice({ method: 'GET', url: `/rest/sip/domain/acme.sip.example/user/${user.body.payload.uuid}` });
  await alice({
    method: 'PATCH',
    url: `/rest/sip/domain/acme.sip.example/user/${user.body.payload.uuid}`,
    json: { caller_id: null },
  });
  await alice({
    method: 'DELETE',
    url: `/rest/sip/domain/acme.sip.example/user/${user.body.payload.uuid}`,
  });
  await alice({ method: 'DELETE', url: '/rest/sip/domain/acme.sip.example' });
  await alice({ method: 'GET', url: '/rest/sip/domain/acme.sip.example' });
}
