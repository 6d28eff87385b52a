import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { ACME, AUTH, BAYSIDE, call, login } from './helpers/requests.js';
import { basic, integrator, startTestServer } from './helpers/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true });
});
afterAll(async () => {
  await server.close();
});

function expectChallenge(res: { headers: Record<string, unknown> }) {
  const challenge = String(res.headers['www-authenticate']);
  expect(challenge).toContain('Basic realm="callwire", charset="UTF-8"');
  expect(challenge).toContain('Bearer realm="callwire"');
}

describe('Basic door', () => {
  it('accepts the right email and password, matching the email case-insensitively', async () => {
    const res = await call(server, 'GET', '/rest/account', {
      auth: basic('ALICE@Example.com', 'alice-pass-1'),
    });
    expect(res.status).toBe(200);
    expect(res.body.payload.uuid).toBe(ACME);
    expect(res.headers['x-account-id']).toBe(ACME);
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('answers unknown user, wrong password and disabled-with-wrong-password identically, each after one argon2 run', async () => {
    const hasher = server.ctx.auth.hasher;
    const bodies = [];
    for (const auth of [
      basic('nobody@example.com', 'whatever-1'),
      basic('alice@example.com', 'wrong-password'),
      basic('carol@example.com', 'wrong-password'),
    ]) {
      const before = hasher.verifications;
      const res = await call(server, 'GET', '/rest/account', { auth, headers: { 'x-forwarded-for': 'x' } });
      expect(hasher.verifications - before).toBe(1);
      expect(res.status).toBe(401);
      expectChallenge(res);
      const { request_id: _ignored, ...rest } = res.body;
      bodies.push(rest);
    }
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ success: false, status: 401, code: 'invalid_credentials' });
  });

  it('refuses the right password of a user without API access with 403 api_access_disabled', async () => {
    const res = await call(server, 'GET', '/rest/account', { auth: AUTH.carol });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('api_access_disabled');
  });

  it('refuses malformed Basic credentials with a 401 and a challenge', async () => {
    for (const auth of [
      'Basic',
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      'Basic a b',
    ]) {
      const res = await call(server, 'GET', '/rest/account', { auth });
      expect(res.status).toBe(401);
      expectChallenge(res);
    }
  });

  it('answers a request without credentials with 401 and a challenge', async () => {
    const res = await call(server, 'GET', '/rest/account');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
    expectChallenge(res);
  });

  it('refuses an unknown scheme with 401', async () => {
    const res = await call(server, 'GET', '/rest/account', { auth: 'Digest abc' });
    expect(res.status).toBe(401);
    expectChallenge(res);
  });
});

describe('session bearer door', () => {
  it('logs in bound to the default account and works as Bearer and as X-Auth-Token', async () => {
    const session = await login(server, 'bob@example.com', 'bob-pass-1');
    expect(session.account.uuid).toBe(BAYSIDE);
    const a = await call(server, 'GET', '/rest/account', { token: session.token });
    expect(a.status).toBe(200);
    expect(a.body.payload.uuid).toBe(BAYSIDE);
    const b = await call(server, 'GET', '/rest/account', { headers: { 'x-auth-token': session.token } });
    expect(b.status).toBe(200);
    expect(b.headers['x-account-id']).toBe(BAYSIDE);
  });

  it('binds the session to account_id of the login', async () => {
    const session = await login(server, 'bob@example.com', 'bob-pass-1', ACME);
    const res = await call(server, 'GET', '/rest/account', { token: session.token });
    expect(res.body.payload.uuid).toBe(ACME);
  });

  it('refuses a login into an account the user does not belong to', async () => {
    const res = await call(server, 'POST', '/rest/auth/login', {
      body: { username: 'alice@example.com', password: 'alice-pass-1', account_id: BAYSIDE },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('account_forbidden');
  });

  it('checks credentials only with auth_only', async () => {
    const res = await call(server, 'POST', '/rest/auth/login', {
      body: { username: 'alice@example.com', password: 'alice-pass-1', auth_only: true },
    });
    expect(res.status).toBe(200);
    expect(res.body.payload).toMatchObject({ valid: true, user: { email: 'alice@example.com' } });
    expect(res.body.payload.token).toBeUndefined();
  });

  it('refuses a wrong login like Basic does, and api_access off with 403', async () => {
    const wrong = await call(server, 'POST', '/rest/auth/login', {
      body: { username: 'alice@example.com', password: 'nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    expectChallenge(wrong);
    const carol = await call(server, 'POST', '/rest/auth/login', {
      body: { username: 'carol@example.com', password: 'carol-pass-1' },
    });
    expect(carol.status).toBe(403);
    expect(carol.body.code).toBe('api_access_disabled');
  });

  it('refuses an unknown token with 401 invalid_token', async () => {
    const res = await call(server, 'GET', '/rest/account', { token: 'cws_not-a-real-token' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
    expect(String(res.headers['www-authenticate'])).toContain('error="invalid_token"');
  });

  it('refuses a token that only begins like a signed-in one, alone or at the same moment as the real one', async () => {
    const s = await login(server, 'bob@example.com', 'bob-pass-1');
    const last = s.token.at(-1) === 'A' ? 'B' : 'A';
    const lookalike = `${s.token.slice(0, -1)}${last}`;
    const halfway = `${s.token.slice(0, 24)}${'x'.repeat(s.token.length - 24)}`;
    // The real token's first use and the look-alikes arrive together (one verification under way).
    const first = await Promise.all([
      call(server, 'GET', '/rest/account', { token: s.token }),
      call(server, 'GET', '/rest/account', { token: lookalike }),
      call(server, 'GET', '/rest/account', { token: halfway }),
    ]);
    expect(first.map((r) => r.status)).toEqual([200, 401, 401]);
    // And once the real token is known (verified before).
    for (const token of [lookalike, halfway]) {
      const res = await call(server, 'GET', '/rest/account', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_token');
    }
    expect((await call(server, 'GET', '/rest/account', { token: s.token })).status).toBe(200);
  });

  it('refuses tokens in URLs with 400 saying to use a header', async () => {
    const session = await login(server, 'alice@example.com', 'alice-pass-1');
    for (const name of ['jwt', 'bearer', 'token', 'access_token']) {
      const res = await call(server, 'GET', `/rest/account?${name}=${session.token}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toMatch(/header/i);
      expect(res.text).not.toContain(session.token);
    }
  });

  it('refuses two doors at once with 400, and different tokens in the two headers', async () => {
    const session = await login(server, 'alice@example.com', 'alice-pass-1');
    const two = await call(server, 'GET', '/rest/account', {
      auth: AUTH.alice,
      headers: { 'x-auth-token': session.token },
    });
    expect(two.status).toBe(400);
    expect(two.body.code).toBe('invalid_request');
    const integ = await call(server, 'GET', `/rest/account?account_id=${ACME}`, {
      auth: AUTH.integrator,
      headers: { 'x-auth-token': session.token },
    });
    expect(integ.status).toBe(400);
    const other = await login(server, 'alice@example.com', 'alice-pass-1');
    const diff = await call(server, 'GET', '/rest/account', {
      token: session.token,
      headers: { 'x-auth-token': other.token },
    });
    expect(diff.status).toBe(400);
    const same = await call(server, 'GET', '/rest/account', {
      token: session.token,
      headers: { 'x-auth-token': session.token },
    });
    expect(same.status).toBe(200);
  });

  it('lets Basic decide on GET /rest/auth with an X-Auth-Token alongside', async () => {
    const res = await call(server, 'GET', '/rest/auth', {
      auth: AUTH.alice,
      headers: { 'x-auth-token': 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.stale' },
    });
    expect(res.status).toBe(200);
    const p = res.body.payload;
    expect(p).toMatchObject({
      email: 'alice@example.com',
      role: 'User',
      deleted_on: null,
      wss_online: false,
    });
    expect(p.account).toMatchObject({ uuid: ACME, name: 'Acme Dental', balance: 100, deleted_on: null });
    // With Basic it opens a session: the token works.
    const me = await call(server, 'GET', '/rest/account', { token: p.token });
    expect(me.status).toBe(200);
  });

  it('returns the presented token on GET /rest/auth with a bearer token', async () => {
    const session = await login(server, 'dave@example.com', 'dave-pass-1');
    const res = await call(server, 'GET', '/rest/auth', { token: session.token });
    expect(res.status).toBe(200);
    expect(res.body.payload.token).toBe(session.token);
    expect(res.body.payload.account.uuid).toBe(BAYSIDE);
  });

  it('expires a session token after token_lifetime', async () => {
    let now = Date.now();
    const clocked = await startTestServer({
      fastArgon2: true,
      clock: { now: () => now },
      tokenLifetime: 120,
    });
    try {
      const session = await login(clocked, 'alice@example.com', 'alice-pass-1');
      expect((await call(clocked, 'GET', '/rest/account', { token: session.token })).status).toBe(200);
      now += 121_000;
      const res = await call(clocked, 'GET', '/rest/account', { token: session.token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('token_expired');
    } finally {
      await clocked.close();
    }
  });
});

describe('API token door', () => {
  it('creates a token shown once, usable as a bearer token, listed without its secret, revocable at once', async () => {
    const created = await call(server, 'POST', '/rest/token', {
      auth: AUTH.alice,
      body: { name: 'ci', ttl: 3600 },
    });
    expect(created.status).toBe(201);
    const token = created.body.payload.token as string;
    expect(token).toMatch(/^cwt_/);
    const use = await call(server, 'GET', '/rest/account', { token });
    expect(use.status).toBe(200);
    expect(use.body.payload.uuid).toBe(ACME);
    const list = await call(server, 'GET', '/rest/token', { auth: AUTH.alice });
    expect(list.status).toBe(200);
    const item = list.body.payload.data.find((t: { uuid: string }) => t.uuid === created.body.payload.uuid);
    expect(item).toBeDefined();
    expect(item.token).toBeUndefined();
    const del = await call(server, 'DELETE', `/rest/token/${created.body.payload.uuid}`, {
      auth: AUTH.alice,
    });
    expect(del.status).toBe(204);
    const after = await call(server, 'GET', '/rest/account', { token });
    expect(after.status).toBe(401);
  });

  it('refuses a ttl under 60 s with validation_failed on body.ttl', async () => {
    const res = await call(server, 'POST', '/rest/token', { auth: AUTH.alice, body: { name: 'x', ttl: 5 } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.fields['body.ttl']).toBeDefined();
  });

  it('binds the token to the account it was created under', async () => {
    const created = await call(server, 'POST', `/rest/token?account_id=${ACME}`, {
      auth: AUTH.bob,
      body: { name: 'acme', ttl: 600 },
    });
    expect(created.status).toBe(201);
    const token = created.body.payload.token as string;
    expect((await call(server, 'GET', '/rest/account', { token })).body.payload.uuid).toBe(ACME);
    const other = await call(server, 'GET', `/rest/account?account_id=${BAYSIDE}`, { token });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('account_forbidden');
  });

  it('is not available to integrators', async () => {
    const res = await call(server, 'POST', `/rest/token?account_id=${ACME}`, {
      auth: AUTH.integrator,
      body: { name: 'x', ttl: 600 },
    });
    expect(res.status).toBe(403);
  });
});

describe('Integrator door', () => {
  it('acts on a linked account named by account_id', async () => {
    const res = await call(server, 'GET', `/rest/account?account_id=${BAYSIDE}`, { auth: AUTH.integrator });
    expect(res.status).toBe(200);
    expect(res.headers['x-account-id']).toBe(BAYSIDE);
  });

  it('requires account_id on scoped requests, listing the linked accounts', async () => {
    const res = await call(server, 'GET', '/rest/account', { auth: AUTH.integrator });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('account_required');
    expect(res.body.accounts.map((a: { uuid: string }) => a.uuid).sort()).toEqual([ACME, BAYSIDE].sort());
  });

  it('refuses an account that is not linked with 403 account_forbidden', async () => {
    const res = await call(server, 'GET', '/rest/account?account_id=0a11ce00-0000-4000-8000-0000000f00f0', {
      auth: AUTH.integrator,
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('account_forbidden');
  });

  it('refuses a wrong secret and an unknown app identically', async () => {
    const a = await call(server, 'GET', `/rest/account?account_id=${ACME}`, {
      auth: integrator('demo-integrator', 'wrong-secret'),
    });
    const b = await call(server, 'GET', `/rest/account?account_id=${ACME}`, {
      auth: integrator('no-such-app', 'wrong-secret'),
    });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body.message).toBe(b.body.message);
    expectChallenge(a);
  });

  it('lists the linked accounts with manager access', async () => {
    const res = await call(server, 'GET', '/rest/accounts', { auth: AUTH.integrator });
    expect(res.status).toBe(200);
    expect(res.body.payload).toHaveLength(2);
    for (const a of res.body.payload) expect(a.access).toBe('manager');
  });
});
