import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AUTH, call, login } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

// Logout with `{ refresh_token }` in the body: it must work when the access token has already
// expired, or the refresh token would stay usable for its 30 days.
let server: RunningServer;
let now = Date.now();
beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true, clock: { now: () => now } });
});
afterAll(async () => {
  await server.close();
});

const HOUR = 3600 * 1000;
const refreshWith = (refresh_token: string) =>
  call(server, 'POST', '/rest/auth/refresh', { body: { refresh_token } });
const accountWith = (token: string) => call(server, 'GET', '/rest/account', { token });

describe('logout with a refresh token', () => {
  it('revokes the sign-in with the refresh token alone after the access token expired', async () => {
    const s = await login(server, 'bob@example.com', 'bob-pass-1');
    now += HOUR + 1000;
    expect((await accountWith(s.token)).body.code).toBe('token_expired');
    const out = await call(server, 'POST', '/rest/auth/logout', { body: { refresh_token: s.refresh_token } });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    const refresh = await refreshWith(s.refresh_token);
    expect(refresh.status).toBe(401);
    expect(refresh.body.code).toBe('invalid_token');
  });

  it('accepts an expired bearer next to the refresh token', async () => {
    const s = await login(server, 'bob@example.com', 'bob-pass-1');
    now += HOUR + 1000;
    const out = await call(server, 'POST', '/rest/auth/logout', {
      token: s.token,
      body: { refresh_token: s.refresh_token },
    });
    expect(out.status).toBe(204);
    expect((await refreshWith(s.refresh_token)).status).toBe(401);
  });

  it('still answers 401 token_expired to an expired bearer without a refresh token', async () => {
    const s = await login(server, 'bob@example.com', 'bob-pass-1');
    now += HOUR + 1000;
    const out = await call(server, 'POST', '/rest/auth/logout', { token: s.token });
    expect(out.status).toBe(401);
    expect(out.body.code).toBe('token_expired');
    expect(out.headers['www-authenticate']).toBeDefined();
  });

  it('answers 401 with WWW-Authenticate when neither credentials nor a refresh token are sent', async () => {
    const out = await call(server, 'POST', '/rest/auth/logout', { body: {} });
    expect(out.status).toBe(401);
    expect(out.headers['www-authenticate']).toBeDefined();
  });

  it('revokes the whole family: every rotated token and refresh token of the sign-in', async () => {
    const first = await login(server, 'alice@example.com', 'alice-pass-1');
    const second = (await refreshWith(first.refresh_token)).body.payload;
    const out = await call(server, 'POST', '/rest/auth/logout', {
      body: { refresh_token: second.refresh_token },
    });
    expect(out.status).toBe(204);
    expect((await accountWith(first.token)).status).toBe(401);
    expect((await accountWith(second.token)).status).toBe(401);
    expect((await refreshWith(second.refresh_token)).status).toBe(401);
    // Another sign-in of the same user is untouched.
    const other = await login(server, 'alice@example.com', 'alice-pass-1');
    expect((await accountWith(other.token)).status).toBe(200);
  });

  it('revokes the family for a spent refresh token too, as a reuse on refresh would', async () => {
    const first = await login(server, 'alice@example.com', 'alice-pass-1');
    const second = (await refreshWith(first.refresh_token)).body.payload;
    const out = await call(server, 'POST', '/rest/auth/logout', {
      body: { refresh_token: first.refresh_token },
    });
    expect(out.status).toBe(204);
    expect((await accountWith(second.token)).status).toBe(401);
    expect((await refreshWith(second.refresh_token)).status).toBe(401);
  });

  it('answers 204 to an unknown refresh token and to a repeated logout, announcing a revocation once', async () => {
    const seen: string[][] = [];
    const listener = (e: { credentialIds: readonly string[] }) => seen.push([...e.credentialIds]);
    server.ctx.signals.on('credentials.revoked', listener);
    try {
      for (const refresh_token of ['cwr_unknown', 'not-a-refresh-token']) {
        const out = await call(server, 'POST', '/rest/auth/logout', { body: { refresh_token } });
        expect(out.status).toBe(204);
      }
      expect(seen).toHaveLength(0);
      const s = await login(server, 'dave@example.com', 'dave-pass-1');
      for (let i = 0; i < 2; i++) {
        const out = await call(server, 'POST', '/rest/auth/logout', {
          body: { refresh_token: s.refresh_token },
        });
        expect(out.status).toBe(204);
      }
      expect(seen).toHaveLength(1);
    } finally {
      server.ctx.signals.off('credentials.revoked', listener);
    }
  });

  it('logs out both the bearer session and the refresh token sign-in when they differ', async () => {
    const a = await login(server, 'bob@example.com', 'bob-pass-1');
    const b = await login(server, 'bob@example.com', 'bob-pass-1');
    const out = await call(server, 'POST', '/rest/auth/logout', {
      token: a.token,
      body: { refresh_token: b.refresh_token },
    });
    expect(out.status).toBe(204);
    expect((await refreshWith(a.refresh_token)).status).toBe(401);
    expect((await refreshWith(b.refresh_token)).status).toBe(401);
  });

  it('ignores Basic credentials next to a refresh token (Basic alone stays 400)', async () => {
    const s = await login(server, 'alice@example.com', 'alice-pass-1');
    const out = await call(server, 'POST', '/rest/auth/logout', {
      auth: AUTH.alice,
      body: { refresh_token: s.refresh_token },
    });
    expect(out.status).toBe(204);
    expect((await refreshWith(s.refresh_token)).status).toBe(401);
  });

  it('refuses a malformed body with 400 validation_failed', async () => {
    const s = await login(server, 'alice@example.com', 'alice-pass-1');
    for (const body of [
      { refresh_token: 5 },
      { refresh_token: '' },
      { refresh_token: s.refresh_token, extra: true },
      [s.refresh_token],
    ]) {
      const out = await call(server, 'POST', '/rest/auth/logout', { token: s.token, body });
      expect(out.status, JSON.stringify(body)).toBe(400);
      expect(out.body.code).toBe('validation_failed');
    }
    // Nothing was revoked by the refused requests.
    expect((await accountWith(s.token)).status).toBe(200);
  });

  it('keeps Idempotency-Key per principal: the same key from two sessions logs out both', async () => {
    const a = await login(server, 'alice@example.com', 'alice-pass-1');
    const b = await login(server, 'bob@example.com', 'bob-pass-1');
    for (const s of [a, b]) {
      const out = await call(server, 'POST', '/rest/auth/logout', {
        token: s.token,
        headers: { 'idempotency-key': 'logout-1' },
      });
      expect(out.status).toBe(204);
      expect(out.headers['idempotent-replayed']).toBeUndefined();
    }
    expect((await accountWith(a.token)).status).toBe(401);
    expect((await accountWith(b.token)).status).toBe(401);
  });
});
