import { describe, expect, it } from 'vitest';
import { AUTH, call } from './helpers/requests.js';
import { basic, startTestServer } from './helpers/test-server.js';

describe('brute-force limits', () => {
  it('locks one email from one IP out after 5 failures, even for the right password, with Retry-After', async () => {
    let now = Date.now();
    const server = await startTestServer({ fastArgon2: true, clock: { now: () => now } });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await call(server, 'GET', '/rest/account', {
          auth: basic('alice@example.com', `wrong-${i}`),
        });
        expect(res.status).toBe(401);
      }
      const locked = await call(server, 'GET', '/rest/account', { auth: AUTH.alice });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('rate_limited');
      const retry = Number(locked.headers['retry-after']);
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(900);
      const viaLogin = await call(server, 'POST', '/rest/auth/login', {
        body: { username: 'alice@example.com', password: 'alice-pass-1' },
      });
      expect(viaLogin.status).toBe(429);
      // Another user from the same IP is not locked.
      expect((await call(server, 'GET', '/rest/account', { auth: AUTH.dave })).status).toBe(200);
      now += retry * 1000 + 1;
      const after = await call(server, 'GET', '/rest/account', { auth: AUTH.alice });
      expect(after.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('locks an IP out after the per-IP threshold', async () => {
    const server = await startTestServer({ fastArgon2: true, rateLimit: { bruteForcePerIp: 3 } });
    try {
      for (const u of ['a', 'b', 'c']) {
        expect(
          (await call(server, 'GET', '/rest/account', { auth: basic(`${u}@x.example`, 'p') })).status,
        ).toBe(401);
      }
      const res = await call(server, 'GET', '/rest/account', { auth: AUTH.dave });
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await server.close();
    }
  });
});

describe('per-principal rate limit', () => {
  it('answers 429 with Retry-After over the limit', async () => {
    const server = await startTestServer({ fastArgon2: true, rateLimit: { perPrincipalPerMinute: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await call(server, 'GET', '/rest/account', { auth: AUTH.alice })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const res = await call(server, 'GET', '/rest/account', { auth: AUTH.alice });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // Another principal has its own budget.
      expect((await call(server, 'GET', '/rest/account', { auth: AUTH.dave })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
