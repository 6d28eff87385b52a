import { describe, expect, it } from 'vitest';
import { call } from './helpers/requests.js';
import { basic, integrator, startTestServer } from './helpers/test-server.js';

/** Whitespace and case variants of one e-mail are one identity for every door and every counter. */
const VARIANTS = [' alice@example.com', 'alice@example.com ', 'ALICE@example.com', ' Alice@Example.COM '];

describe('one identity key for every door', () => {
  it('a whitespace or case variant of a locked-out e-mail is locked out too (Basic)', async () => {
    const server = await startTestServer({ fastArgon2: true });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await call(server, 'GET', '/rest/account', { auth: basic('alice@example.com', `x${i}`) });
        expect(res.status).toBe(401);
      }
      for (const variant of VARIANTS) {
        const res = await call(server, 'GET', '/rest/account', { auth: basic(variant, 'alice-pass-1') });
        expect(res.status, JSON.stringify(variant)).toBe(429);
        expect(res.body.code).toBe('rate_limited');
      }
    } finally {
      await server.close();
    }
  });

  it('failures spread over variants add up to one lockout (login and GET /rest/auth)', async () => {
    const server = await startTestServer({ fastArgon2: true });
    try {
      // A tab is a control character Basic refuses, but a JSON login may carry one.
      for (const variant of [...VARIANTS, '\talice@example.com']) {
        const res = await call(server, 'POST', '/rest/auth/login', {
          body: { username: variant, password: 'wrong-password' },
        });
        expect(res.status).toBe(401);
      }
      const login = await call(server, 'POST', '/rest/auth/login', {
        body: { username: 'alice@example.com', password: 'alice-pass-1' },
      });
      expect(login.status).toBe(429);
      const check = await call(server, 'GET', '/rest/auth', {
        auth: basic('alice@example.com', 'alice-pass-1'),
      });
      expect(check.status).toBe(429);
    } finally {
      await server.close();
    }
  });

  it('the right password under a variant signs in as the same user, and clears the count', async () => {
    const server = await startTestServer({ fastArgon2: true });
    try {
      const res = await call(server, 'POST', '/rest/auth/login', {
        body: { username: ' ALICE@example.com ', password: 'alice-pass-1' },
      });
      expect(res.status).toBe(200);
      expect(res.body.payload.user.email).toBe('alice@example.com');
    } finally {
      await server.close();
    }
  });

  it('integrator key variants share the lockout of the app key', async () => {
    const server = await startTestServer({ fastArgon2: true });
    try {
      for (const key of [
        'demo-integrator',
        ' demo-integrator',
        'DEMO-integrator',
        'demo-integrator ',
        'Demo-Integrator',
      ]) {
        const res = await call(server, 'GET', '/rest/accounts', { auth: integrator(key, 'wrong-secret') });
        expect(res.status).toBe(401);
      }
      const res = await call(server, 'GET', '/rest/accounts', {
        auth: integrator('demo-integrator', 'demo-integrator-secret-1'),
      });
      expect(res.status).toBe(429);
    } finally {
      await server.close();
    }
  });
});
