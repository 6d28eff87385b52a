import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionAuth } from '../src/session/session-auth.js';
import { ALICE, type AuthServer, manualClock, startAuthServer } from './helpers/auth-server.js';

let server: AuthServer;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock();
  server = await startAuthServer();
});
afterEach(() => server.close());

const login = async () => {
  const auth = createSessionAuth({
    baseUrl: server.url,
    username: ALICE.email,
    password: ALICE.password,
    clock,
  });
  await auth.authorize({ headers: new Headers() });
  return auth;
};

const storm = (auth: Awaited<ReturnType<typeof login>>, n = 1000) => {
  const requests = Array.from({ length: n }, () => ({ headers: new Headers() }));
  return Promise.all(requests.map((r) => auth.authorize(r))).then(() =>
    requests.map((r) => r.headers.get('authorization')),
  );
};

describe('single-flight renewal', () => {
  it('1,000 concurrent authorize() calls after expiry cause exactly one refresh', async () => {
    const auth = await login();
    clock.advance(3600_000 + 5);
    const headers = await storm(auth);
    expect(server.calls.refresh).toBe(1);
    expect(server.calls.login).toBe(1);
    expect(new Set(headers).size).toBe(1);
    expect(headers[0]).toBe(`Bearer ${auth.session()?.token}`);
  });

  it('1,000 concurrent authorize() calls inside the refresh margin cause exactly one refresh', async () => {
    const auth = await login();
    clock.advance(3600_000 - 10_000);
    await storm(auth);
    await expect.poll(() => server.calls.refresh).toBe(1);
    await storm(auth);
    expect(server.calls.refresh).toBe(1);
  });

  it('1,000 concurrent first calls cause exactly one login', async () => {
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    const headers = await storm(auth);
    expect(server.calls.login).toBe(1);
    expect(new Set(headers).size).toBe(1);
  });

  it('refresh({ rejected }) reuses the current token when it already differs from the rejected one', async () => {
    const auth = await login();
    const old = auth.session()!.token;
    clock.advance(3600_000 + 5);
    await auth.authorize({ headers: new Headers() });
    expect(server.calls.refresh).toBe(1);
    await expect(auth.refresh({ rejected: `Bearer ${old}` })).resolves.toBe(true);
    expect(server.calls.refresh).toBe(1);
  });

  it('100 concurrent refresh({ rejected }) calls for the current token share one refresh', async () => {
    const auth = await login();
    const rejected = auth.session()!.token;
    const results = await Promise.all(Array.from({ length: 100 }, () => auth.refresh({ rejected })));
    expect(results.every(Boolean)).toBe(true);
    expect(server.calls.refresh).toBe(1);
    expect(auth.session()?.token).not.toBe(rejected);
  });

  it('a 401 on the current token recovers through refresh, then the retried request carries the new token', async () => {
    const auth = await login();
    const token = auth.session()!.token;
    server.revoke(token); // e.g. revoked elsewhere: its refresh token is revoked too
    await auth.refresh({ rejected: token });
    expect(server.calls.refresh).toBe(1);
    expect(server.calls.login).toBe(2);
    const r = { headers: new Headers() };
    await auth.authorize(r);
    expect(r.headers.get('authorization')).not.toBe(`Bearer ${token}`);
  });
});
