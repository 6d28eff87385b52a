import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { ACME, AUTH, BAYSIDE, call, login } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true });
});
afterAll(async () => {
  await server.close();
});

describe('refresh', () => {
  it('rotates: new token and new refresh token, both working; the old access token stays valid until expiry', async () => {
    const first = await login(server, 'alice@example.com', 'alice-pass-1');
    const res = await call(server, 'POST', '/rest/auth/refresh', {
      body: { refresh_token: first.refresh_token },
    });
    expect(res.status).toBe(200);
    const next = res.body.payload;
    expect(next.token).not.toBe(first.token);
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect(next.token_lifetime).toBe(3600);
    expect(next.account.uuid).toBe(ACME);
    expect((await call(server, 'GET', '/rest/account', { token: next.token })).status).toBe(200);
    const again = await call(server, 'POST', '/rest/auth/refresh', {
      body: { refresh_token: next.refresh_token },
    });
    expect(again.status).toBe(200);
  });

  it('treats reuse of a spent refresh token as theft: 401 refresh_token_reused and the whole family revoked', async () => {
    const first = await login(server, 'alice@example.com', 'alice-pass-1');
    const second = (
      await call(server, 'POST', '/rest/auth/refresh', { body: { refresh_token: first.refresh_token } })
    ).body.payload;
    expect((await call(server, 'GET', '/rest/account', { token: second.token })).status).toBe(200);
    const reuse = await call(server, 'POST', '/rest/auth/refresh', {
      body: { refresh_token: first.refresh_token },
    });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('refresh_token_reused');
    expect(reuse.headers['www-authenticate']).toBeDefined();
    // Every token of the family is dead, including the newest one and its refresh token.
    expect((await call(server, 'GET', '/rest/account', { token: second.token })).status).toBe(401);
    expect((await call(server, 'GET', '/rest/account', { token: first.token })).status).toBe(401);
    const newest = await call(server, 'POST', '/rest/auth/refresh', {
      body: { refresh_token: second.refresh_token },
    });
    expect(newest.status).toBe(401);
    // Another sign-in of the same user is untouched.
    const other = await login(server, 'alice@example.com', 'alice-pass-1');
    expect((await call(server, 'GET', '/rest/account', { token: other.token })).status).toBe(200);
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const first = await login(server, 'alice@example.com', 'alice-pass-1');
    const [a, b] = await Promise.all([
      call(server, 'POST', '/rest/auth/refresh', { body: { refresh_token: first.refresh_token } }),
      call(server, 'POST', '/rest/auth/refresh', { body: { refresh_token: first.refresh_token } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
  });

  it('refuses an unknown refresh token with 401', async () => {
    const res = await call(server, 'POST', '/rest/auth/refresh', { body: { refresh_token: 'cwr_nope' } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('refuses an expired refresh token', async () => {
    let now = Date.now();
    const clocked = await startTestServer({ fastArgon2: true, clock: { now: () => now } });
    try {
      const s = await login(clocked, 'alice@example.com', 'alice-pass-1');
      now += 31 * 24 * 3600 * 1000;
      const res = await call(clocked, 'POST', '/rest/auth/refresh', {
        body: { refresh_token: s.refresh_token },
      });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('token_expired');
    } finally {
      await clocked.close();
    }
  });
});

describe('logout', () => {
  it('revokes the token and the refresh token at once', async () => {
    const s = await login(server, 'bob@example.com', 'bob-pass-1');
    expect((await call(server, 'GET', '/rest/account', { token: s.token })).status).toBe(200);
    const out = await call(server, 'POST', '/rest/auth/logout', { token: s.token });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expect((await call(server, 'GET', '/rest/account', { token: s.token })).status).toBe(401);
    expect(
      (await call(server, 'POST', '/rest/auth/refresh', { body: { refresh_token: s.refresh_token } })).status,
    ).toBe(401);
  });

  it('tells the realtime area which credentials were revoked', async () => {
    const s = await login(server, 'bob@example.com', 'bob-pass-1');
    const seen: string[][] = [];
    const listener = (e: { credentialIds: readonly string[] }) => seen.push([...e.credentialIds]);
    server.ctx.signals.on('credentials.revoked', listener);
    await call(server, 'POST', '/rest/auth/logout', { token: s.token });
    server.ctx.signals.off('credentials.revoked', listener);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.length).toBeGreaterThan(0);
  });

  it('is refused for Basic with 400', async () => {
    const res = await call(server, 'POST', '/rest/auth/logout', { auth: AUTH.alice });
    expect(res.status).toBe(400);
  });
});

describe('masquerade', () => {
  it('opens a session bound to another account of the user', async () => {
    const s = await login(server, 'bob@example.com', 'bob-pass-1');
    expect(s.account.uuid).toBe(BAYSIDE);
    const res = await call(server, 'POST', '/rest/auth/masquerade', {
      token: s.token,
      body: { account_id: ACME },
    });
    expect(res.status).toBe(200);
    const m = res.body.payload;
    expect(m.account.uuid).toBe(ACME);
    expect((await call(server, 'GET', '/rest/account', { token: m.token })).body.payload.uuid).toBe(ACME);
    // The original session is still bound to its account.
    expect((await call(server, 'GET', '/rest/account', { token: s.token })).body.payload.uuid).toBe(BAYSIDE);
  });

  it('is refused into an account without membership, without saying whether it exists', async () => {
    const s = await login(server, 'alice@example.com', 'alice-pass-1');
    const real = await call(server, 'POST', '/rest/auth/masquerade', {
      token: s.token,
      body: { account_id: BAYSIDE },
    });
    const fake = await call(server, 'POST', '/rest/auth/masquerade', {
      token: s.token,
      body: { account_id: '0a11ce00-0000-4000-8000-0000000f00f0' },
    });
    expect(real.status).toBe(403);
    expect(real.body.code).toBe('account_forbidden');
    expect(fake.status).toBe(403);
    expect(fake.body.message).toBe(real.body.message);
  });

  it('needs a session token (not Basic, not an API token)', async () => {
    const basicRes = await call(server, 'POST', '/rest/auth/masquerade', {
      auth: AUTH.bob,
      body: { account_id: ACME },
    });
    expect(basicRes.status).toBe(400);
  });
});
