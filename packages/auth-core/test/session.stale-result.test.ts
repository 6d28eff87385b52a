import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionAuth } from '../src/session/session-auth.js';
import { createMemorySessionStore, DEFAULT_SESSION_KEY } from '../src/session/store.js';
import { ALICE, type AuthServer, manualClock, startAuthServer } from './helpers/auth-server.js';

let server: AuthServer;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock();
  server = await startAuthServer();
});
afterEach(() => server.close());

describe('a late session result', () => {
  it('is discarded when a newer session was stored meanwhile (another process sharing the store)', async () => {
    const store = createMemorySessionStore();
    const slow = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    await slow.token();
    clock.advance(3600_000 + 1);

    const release = server.hold('refresh');
    const pending = slow.token();
    await expect.poll(() => server.calls.refresh).toBe(1);

    // Meanwhile another process logs in and stores a newer session.
    const other = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    await other.token();
    const newer = { ...other.session()!, generation: 100 };
    await store.set(DEFAULT_SESSION_KEY, newer);

    release();
    expect(await pending).toBe(newer.token);
    expect(slow.session()?.token).toBe(newer.token);
    expect((await store.get(DEFAULT_SESSION_KEY))?.token).toBe(newer.token);
  });

  it('is discarded after a logout, never resurrecting the session', async () => {
    const store = createMemorySessionStore();
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    await auth.token();
    clock.advance(3600_000 + 1);
    const release = server.hold('refresh');
    const pending = auth.token().catch((e: unknown) => e);
    await expect.poll(() => server.calls.refresh).toBe(1);
    const logout = auth.logout();
    release();
    await logout;
    expect(await pending).toMatchObject({ code: 'session_ended' });
    expect(auth.session()).toBeUndefined();
    expect(await store.get(DEFAULT_SESSION_KEY)).toBeUndefined();
  });

  it('the memory store itself refuses an older generation', () => {
    const store = createMemorySessionStore();
    const base = {
      version: 1 as const,
      token: 'new',
      refreshToken: 'r',
      issuedAt: 0,
      expiresAt: 1,
      refreshExpiresAt: undefined,
      accountId: 'a',
      userId: undefined,
      generation: 5,
    };
    store.set('k', base);
    store.set('k', { ...base, token: 'old', generation: 4 });
    expect((store.get('k') as typeof base).token).toBe('new');
  });
});
