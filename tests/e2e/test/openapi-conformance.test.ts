import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, ConformanceRun, type Exchange } from './helpers/openapi-conformance.js';
import { ACME, BAYSIDE, type RestServer, startRestServer } from './helpers/rest-server.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ALICE = basic('alice@example.com', 'alice-pass-1');
const BOB = basic('bob@example.com', 'bob-pass-1');
const CAROL = basic('carol@example.com', 'carol-pass-1');
const DAVE = basic('dave@example.com', 'dave-pass-1');
const INTEGRATOR = `Integrator ${Buffer.from('demo-integrator:demo-integrator-secret-1').toString('base64')}`;
const NOBODY = '0a11ce00-0000-4000-8000-0000000f00f0';

let server: RestServer;
let run: ConformanceRun;

beforeAll(async () => {
  // Fast simulated network: calls ring for 20 ms; every event type happens within the run.
  // This run checks its own traffic, so the proxy of the other suites would only repeat it.
  server = await startRestServer({ simSpeed: 100 }, { validating: false });
  run = await ConformanceRun.start(server.url);
});
afterAll(async () => {
  await server?.close();
});

/** Sends as `auth` (an Authorization value, or `{ token }` for X-Auth-Token). */
function as(auth: string | { token: string } | null) {
  return (exchange: Exchange): Promise<Answer> => {
    const headers: Record<string, string> = { ...exchange.headers };
    if (typeof auth === 'string') headers.authorization = auth;
    else if (auth !== null) headers['x-auth-token'] = auth.token;
    return run.send({ ...exchange, headers });
  };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error('the simulated network did not get there');
}

async function identity(): Promise<void> {
  const anon = as(null);
  const alice = as(ALICE);
  const login = await anon({
    method: 'POST',
    url: '/rest/auth/login',
    json: { username: 'alice@example.com', password: 'alice-pass-1' },
  });
  expect(login.status).toBe(200);
  const { token, refresh_token } = login.body.payload;
  await anon({
    method: 'POST',
    url: '/rest/auth/login',
    form: { username: 'bob@example.com', password: 'bob-pass-1', account_id: ACME },
  });
  await anon({
    method: 'POST',
    url: '/rest/auth/login',
    json: { username: 'dave@example.com', password: 'dave-pass-1', auth_only: true },
  });
  await anon({
    method: 'POST',
    url: '/rest/auth/login',
    json: { username: 'alice@example.com', password: 'wrong-pass' },
  });
  await anon({
    method: 'POST',
    url: '/rest/auth/login',
    json: { username: 'carol@example.com', password: 'carol-pass-1' },
  });
  await anon({ method: 'POST', url: '/rest/auth/login', json: { username: 'alice@example.com' } });
  await anon({
    method: 'POST',
    url: '/rest/auth/login',
    json: { username: 'a', password: 'b', remember: true },
  });
  await anon({
    method: 'POST',
    url: '/rest/auth/login',
    raw: 'username=a',
    headers: { 'content-type': 'text/plain' },
  });
  // Five failed sign-ins lock an e-mail out: the sixth is a 429 with Retry-After.
  for (let i = 0; i < 6; i++) {
    await anon({
      method: 'POST',
      url: '/rest/auth/login',
      json: { username: 'mallory@example.com', password: `guess-${i}` },
    });
  }
  // Limits of the HTTP layer: a body over 1 MiB, a header line over 8 KiB.
  await anon({
    method: 'POST',
    url: '/rest/auth/login',
    json: { username: 'a', password: 'x'.repeat(1024 * 1024) },
  });
  await alice({ method: 'GET', url: '/rest/account', headers: { 'x-note': 'n'.repeat(9000) } });
  await as({ token })({ method: 'GET', url: '/rest/auth' });
  await alice({ method: 'GET', url: '/rest/auth' });
  await anon({ method: 'GET', url: '/rest/auth' });
  await anon({ method: 'GET', url: '/rest/auth?token=abc' });
  const refreshed = await anon({ method: 'POST', url: '/rest/auth/refresh', json: { refresh_token } });
  await anon({ method: 'POST', url: '/rest/auth/refresh', json: { refresh_token } }); // spent: reused
  await anon({ method: 'POST', url: '/rest/auth/refresh', json: {} });
  const bobSession = (
    await as(null)({
      method: 'POST',
      url: '/rest/auth/login',
      json: { username: 'bob@example.com', password: 'bob-pass-1' },
    })
  ).body.payload;
  await as(`Bearer ${bobSession.token}`)({
    method: 'POST',
    url: '/rest/auth/masquerade',
    json: { account_id: ACME },
  });
  await as(`Bearer ${bobSession.token}`)({
    method: 'POST',
    url: '/rest/auth/masquerade',
    json: { account_id: 'acme' },
  });
  await as(`Bearer ${bobSession.token}`)({ method: 'POST', url: '/rest/auth/logout' });
  await anon({
    method: 'POST',
    url: '/rest/auth/logout',
    json: { refresh_token: refreshed.body?.payload?.refresh_token ?? 'x' },
  });
  await anon({ method: 'POST', url: '/rest/auth/logout', json: { refresh_token: 42 } });

  const bob = as(BOB);
  await bob({ method: 'GET', url: '/rest/accounts' });
  await bob({ method: 'GET', url: '/rest/account' });
  await bob({ method: 'GET', url: `/rest/account?account_id=${ACME}` });
  await bob({ method: 'GET', url: '/rest/account', headers: { 'x-account-id': BAYSIDE } });
  await bob({ method: 'GET', url: `/rest/account?account_id=${NOBODY}` });
  await bob({ method: 'GET', url: '/rest/account?account_id=nope' });
  await as(INTEGRATOR)({ method: 'GET', url: '/rest/account', headers: { 'x-account-id': ACME } });
  await as(INTEGRATOR)({ method: 'GET', url: '/rest/account' });
  await as(CAROL)({ method: 'GET', url: '/rest/account' });

  const created = await alice({ method: 'POST', url: '/rest/token', json: { name: 'ci', ttl: 3600 } });
  const apiToken = created.body.payload.token as string;
  await as(`Bearer ${apiToken}`)({ method: 'GET', url: '/rest/token?take=5' });
  await as(DAVE)({ method: 'POST', url: '/rest/token', json: { name: 'viewer', ttl: 3600 } });
  await alice({ method: 'POST', url: '/rest/token', json: { name: 'short', ttl: 30 } });
  await alice({ method: 'GET', url: '/rest/token?take=0' });
  await alice({ method: 'DELETE', url: `/rest/token/${created.body.payload.uuid}` });
  await alice({ method: 'DELETE', url: `/rest/token/${created.body.payload.uuid}` });
  await alice({ method: 'DELETE', url: '/rest/token/not-a-uuid' });

  await alice({ method: 'GET', url: '/rest/account/user' });
  const erin = await alice({
    method: 'POST',
    url: '/rest/account/user',
    json: { email: 'erin@example.com', access: 'viewer' },
  });
  await alice({
    method: 'POST',
    url: '/rest/account/user',
    json: { email: 'erin@example.com', access: 'viewer' },
  });
  await alice({
    method: 'POST',
    url: '/rest/account/user',
    json: { email: 'erin@example.com', access: 'owner' },
  });
  await alice({
    method: 'PATCH',
    url: `/rest/account/user/${erin.body.payload.uuid}`,
    json: { access: 'manager' },
  });
  await alice({ method: 'PATCH', url: `/rest/account/user/${NOBODY}`, json: { access: 'manager' } });
  await alice({ method: 'DELETE', url: `/rest/account/user/${erin.body.payload.uuid}` });
  await as(DAVE)({ method: 'GET', url: '/rest/account/user', headers: { 'x-account-id': BAYSIDE } });
}

async function numbers(): Promise<{ sms: string; voice: string }> {
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
  return { sms: (data.find((l) => l.sms) ?? data[0])!.tn, voice: (data.find((l) => l.voice) ?? data[0])!.tn };
}

async function messaging(from: string): Promise<void> {
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

async function calls(from: string): Promise<void> {
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

async function sip(tn: string): Promise<void> {
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
  await alice({ method: 'PATCH', url: `/rest/sip/connection/${id}`, json: { transport: 'carrier-pigeon' } });
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
  await alice({ method: 'DELETE', url: `/rest/sip/domain/acme.sip.example/user/${user.body.payload.uuid}` });
  await alice({ method: 'DELETE', url: '/rest/sip/domain/acme.sip.example' });
  await alice({ method: 'GET', url: '/rest/sip/domain/acme.sip.example' });
}

async function events(): Promise<void> {
  const alice = as(ALICE);
  await alice({ method: 'GET', url: '/rest/event?after_seq=0&take=50' });
  await alice({ method: 'GET', url: '/rest/event?types=sms.*,call.hangup' });
  await alice({ method: 'GET', url: '/rest/event?after_seq=-1' });
  await alice({ method: 'GET', url: '/rest/event?colour=red' });
  const wss = await alice({
    method: 'POST',
    url: '/rest/event/subscription',
    json: { channel: 'wss', types: ['call.*'] },
  });
  const hook = await alice({
    method: 'POST',
    url: '/rest/event/subscription',
    json: { channel: 'webhook', types: ['*'], url: 'http://127.0.0.1:9/hook' },
  });
  await alice({ method: 'POST', url: '/rest/event/subscription', json: { channel: 'pigeon', types: ['*'] } });
  await alice({ method: 'GET', url: '/rest/event/subscription' });
  await alice({ method: 'GET', url: `/rest/event/subscription/${wss.body.payload.uuid}` });
  await alice({
    method: 'PATCH',
    url: `/rest/event/subscription/${wss.body.payload.uuid}`,
    json: { is_active: false },
  });
  await alice({
    method: 'GET',
    url: `/rest/event/subscription/${hook.body.payload.uuid}/deliveries?state=pending`,
  });
  await alice({
    method: 'GET',
    url: `/rest/event/subscription/${hook.body.payload.uuid}/deliveries?state=lost`,
  });
  await alice({ method: 'DELETE', url: `/rest/event/subscription/${wss.body.payload.uuid}` });
  await alice({ method: 'DELETE', url: `/rest/event/subscription/${hook.body.payload.uuid}` });
  await alice({ method: 'GET', url: `/rest/event/subscription/${hook.body.payload.uuid}` });
}

/** Every operation that needs credentials, called without any (and then with a wrong password). */
async function withoutCredentials(): Promise<void> {
  const fill: Record<string, string> = {
    uuid: NOBODY,
    id: '+12015550100',
    domain: 'nobody.example',
    list: 'blacklist',
  };
  for (const op of run.operations()) {
    if (op.security?.length === 0 || op.operationId === 'logout') continue;
    const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(fill[name] ?? 'x'));
    const method = op.method.toUpperCase() as Exchange['method'];
    const json = method === 'POST' || method === 'PATCH' ? {} : undefined;
    await as(null)({ method, url, ...(json === undefined ? {} : { json }) });
  }
  await as(basic('alice@example.com', 'not-her-password'))({ method: 'GET', url: '/rest/accounts' });
}

describe('the API as an independent OpenAPI validator sees it', () => {
  it('answers a broad run (every operation, every door, valid and invalid input) exactly as the document says', {
    timeout: 60_000,
  }, async () => {
    await identity();
    const { sms, voice } = await numbers();
    await messaging(sms);
    await calls(voice);
    await sip(voice);
    await events();
    await withoutCredentials();

    expect(run.violations).toEqual([]);
    const operations = run.operations().map((op) => op.operationId);
    const unexercised = operations.filter((id) => ![...(run.seen.get(id) ?? [])].some((s) => s < 300));
    expect(unexercised, 'operations without a successful call').toEqual([]);
    const neverRefused = operations.filter((id) => ![...(run.seen.get(id) ?? [])].some((s) => s >= 400));
    expect(neverRefused, 'operations without a refused call').toEqual([]);
    expect([...run.doors].sort()).toEqual(['basic', 'bearer', 'integrator', 'none', 'x-auth-token']);
    expect(run.requests).toBeGreaterThan(150);
    const statuses = new Set([...run.seen.values()].flatMap((s) => [...s]));
    expect([...statuses].sort()).toEqual(
      expect.arrayContaining([200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 415, 429, 431]),
    );
  });
});
