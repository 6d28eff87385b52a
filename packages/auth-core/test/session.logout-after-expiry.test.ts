import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionAuth } from '../src/session/session-auth.js';
import { createMemorySessionStore, DEFAULT_SESSION_KEY } from '../src/session/store.js';
import { ACME, ALICE, type AuthServer, BOB, manualClock, startAuthServer } from './helpers/auth-server.js';

let server: AuthServer;
let clock: ReturnType<typeof manualClock>;
beforeEach(async () => {
  clock = manualClock();
  server = await startAuthServer();
});
afterEach(() => server.close());

describe('logout sends the refresh token', () => {
  it('sends the bearer and the refresh token in the body', async () => {
    const store = createMemorySessionStore();
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    const token = await auth.token();
    const refreshToken = (await store.get(DEFAULT_SESSION_KEY))?.refreshToken;
    expect(refreshToken).toMatch(/^rt_/);
    await auth.logout();
    expect(server.seenAuthorization.at(-1)).toBe(`Bearer ${token}`);
    expect(server.logoutBodies).toEqual([{ refresh_token: refreshToken }]);
    expect(server.isRevoked(token)).toBe(true);
  });

  it('revokes the sign-in when the access token already expired on the server', async () => {
    const store = createMemorySessionStore();
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    const token = await auth.token();
    server.expire(token);
    await auth.logout();
    // Without the refresh token the server would have answered 401 and the sign-in would live on.
    expect(server.isRevoked(token)).toBe(true);
    expect(await store.get(DEFAULT_SESSION_KEY)).toBeUndefined();
  });

  it('revokes a stored session whose access token expired, without logging in first', async () => {
    const store = createMemorySessionStore();
    const first = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    const token = await first.token();
    server.expire(token);
    clock.advance(2 * 3600 * 1000);
    const resumed = createSessionAuth({ baseUrl: server.url, store, clock });
    await resumed.logout();
    expect(server.isRevoked(token)).toBe(true);
    expect(server.calls.login).toBe(1);
    expect(server.calls.refresh).toBe(0);
  });

  it('revokes every account session of the root, each with its own refresh token', async () => {
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: BOB.email,
      password: BOB.password,
      clock,
    });
    const acmeToken = await auth.forAccount(ACME.uuid).token();
    const rootToken = await auth.token();
    server.expire(acmeToken);
    server.expire(rootToken);
    await auth.logout();
    expect(server.isRevoked(acmeToken)).toBe(true);
    expect(server.isRevoked(rootToken)).toBe(true);
    expect(server.logoutBodies).toHaveLength(2);
  });
});
