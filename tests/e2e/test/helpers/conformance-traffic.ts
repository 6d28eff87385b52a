import { expect } from 'vitest';
import {
  ALICE,
  type As,
  BOB,
  basic,
  CAROL,
  DAVE,
  INTEGRATOR,
  NOBODY,
  sender,
} from './conformance-callers.js';
import { calls, messaging, numbers, sip } from './conformance-traffic-telephony.js';
import type { ConformanceRun, Exchange } from './openapi-conformance.js';
import { ACME, BAYSIDE } from './rest-server.js';

/**
 * The traffic of the conformance suite: every operation answered and refused, through every door
 * (Basic, bearer, X-Auth-Token, API token, Integrator, none), with JSON and form bodies, and with
 * bad input of every kind the document can state. Every exchange goes through `run`.
 */
export async function broadRun(run: ConformanceRun): Promise<void> {
  const as = sender(run);
  await identity(as);
  const { sms, voice } = await numbers(as);
  await messaging(as, sms);
  await calls(as, voice);
  await sip(as, voice);
  await events(as);
  await withoutCredentials(run, as);
}

export async function identity(as: As): Promise<void> {
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

  await alice({ method: 'GET', url: '/rest/account/callback-secret' });
  await alice({ method: 'POST', url: '/rest/account/callback-secret' });
  await as(DAVE)({ method: 'GET', url: '/rest/account/callback-secret' });
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

export async function events(as: As): Promise<void> {
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
  await alice({
    method: 'POST',
    url: '/rest/event/subscription',
    json: { channel: 'pigeon', types: ['*'] },
  });
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
export async function withoutCredentials(run: ConformanceRun, as: As): Promise<void> {
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
