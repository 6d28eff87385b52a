import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../src/errors/index.js';
import type { SessionRecord } from '../src/session/record.js';
import { createSessionAuth } from '../src/session/session-auth.js';
import { createMemorySessionStore, DEFAULT_SESSION_KEY } from '../src/session/store.js';
import type { AuthChange } from '../src/strategy.js';
import { ACME, ALICE, type AuthServer, manualClock, startAuthServer } from './helpers/auth-server.js';

let server: AuthServer;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock();
  // The server's clock is a day ahead: the client must not care (it uses its own + token_lifetime).
  server = await startAuthServer({ clock: () => clock() + 86_400_000 });
});
afterEach(() => server.close());

const req = () => ({ headers: new Headers() });

describe('session auth', () => {
  it('logs in on first use and sends the bearer token', async () => {
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    const r = req();
    await auth.authorize(r);
    expect(r.headers.get('authorization')).toMatch(/^Bearer tok_/);
    expect(server.calls.login).toBe(1);
    expect(auth.accountId).toBe(ACME.uuid);
  });

  it('computes expiry from the local clock at request start plus token_lifetime, ignoring the server clock', async () => {
    const start = clock();
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    await auth.authorize(req());
    expect(auth.session()?.expiresAt).toBe(start + 3600 * 1000);
    expect(auth.session()?.issuedAt).toBe(start);
  });

  it('reuses a warm token without any request', async () => {
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    await auth.authorize(req());
    for (let i = 0; i < 100; i++) await auth.authorize(req());
    expect(server.calls.login).toBe(1);
    expect(server.calls.refresh).toBe(0);
  });

  it('refreshes ahead of expiry, within the margin, and keeps serving the still-valid token meanwhile', async () => {
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      refreshMargin: 60_000,
    });
    await auth.authorize(req());
    const first = auth.session()!.token;
    clock.advance(3600_000 - 30_000); // inside the 60 s margin
    const r = req();
    await auth.authorize(r);
    expect(r.headers.get('authorization')).toBe(`Bearer ${first}`);
    await expect.poll(() => server.calls.refresh).toBe(1);
    await expect.poll(() => auth.session()?.token).not.toBe(first);
    expect(server.calls.login).toBe(1);
  });

  it('waits for a refresh once the token has expired', async () => {
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    await auth.authorize(req());
    const first = auth.session()!.token;
    clock.advance(3600_000 + 1);
    const r = req();
    await auth.authorize(r);
    expect(r.headers.get('authorization')).not.toBe(`Bearer ${first}`);
    expect(server.calls.refresh).toBe(1);
  });

  it('caps the margin at half of a short token lifetime', async () => {
    server.tokenLifetime = 60;
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    await auth.authorize(req());
    clock.advance(20_000);
    await auth.authorize(req());
    expect(server.calls.refresh).toBe(0);
  });

  it('calls onChange for login and for every expiry-driven refresh, with a record to persist', async () => {
    const changes: AuthChange[] = [];
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    auth.onChange((change) => changes.push(change));
    await auth.authorize(req());
    clock.advance(3600_000);
    await auth.authorize(req());
    clock.advance(3600_000);
    await auth.token();
    expect(changes.map((c) => c.reason)).toEqual(['login', 'refresh', 'refresh']);
    expect(changes.at(-1)?.session?.token).toBe(auth.session()?.token);
    expect(changes.every((c) => c.accountId === ACME.uuid)).toBe(true);
    expect(JSON.parse(JSON.stringify(changes.at(-1)?.session))).toEqual(changes.at(-1)?.session);
  });

  it('stops notifying after unsubscribe', async () => {
    const seen: string[] = [];
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    const off = auth.onChange((c) => seen.push(c.reason));
    off();
    await auth.authorize(req());
    expect(seen).toEqual([]);
  });

  it('keeps working when a listener throws', async () => {
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    auth.onChange(() => {
      throw new Error('listener bug');
    });
    await expect(auth.authorize(req())).resolves.toBeUndefined();
  });

  it('writes every new session to the store, keyed by account', async () => {
    const store = createMemorySessionStore();
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    await auth.authorize(req());
    expect((await store.get(DEFAULT_SESSION_KEY))?.token).toBe(auth.session()?.token);
  });

  it('starts from a stored session without a password and refreshes it', async () => {
    const first = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    await first.authorize(req());
    const record = first.session() as SessionRecord;
    const resumed = createSessionAuth({ baseUrl: server.url, session: record, clock });
    const r = req();
    await resumed.authorize(r);
    expect(r.headers.get('authorization')).toBe(`Bearer ${record.token}`);
    clock.advance(3600_000);
    await resumed.authorize(r);
    expect(r.headers.get('authorization')).not.toBe(`Bearer ${record.token}`);
    expect(server.calls.login).toBe(1);
  });

  it('resumes from a store alone', async () => {
    const store = createMemorySessionStore();
    const first = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    await first.authorize(req());
    const resumed = createSessionAuth({ baseUrl: server.url, store, clock });
    expect(await resumed.token()).toBe(first.session()?.token);
    expect(server.calls.login).toBe(1);
  });

  it('reports a session adopted from the store as a restore', async () => {
    const store = createMemorySessionStore();
    const first = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    await first.token();
    const resumed = createSessionAuth({ baseUrl: server.url, store, clock });
    const reasons: string[] = [];
    resumed.onChange((c) => reasons.push(c.reason));
    await resumed.token();
    expect(reasons).toEqual(['restore']);
  });

  it('revokes a session resumed from the store on logout even if it was never used', async () => {
    const store = createMemorySessionStore();
    const first = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    const token = await first.token();
    const resumed = createSessionAuth({ baseUrl: server.url, store, clock });
    await resumed.logout();
    expect(server.isRevoked(token)).toBe(true);
    expect(await store.get(DEFAULT_SESSION_KEY)).toBeUndefined();
  });

  it('says to log in again when a passwordless session can no longer be renewed', async () => {
    const store = createMemorySessionStore();
    const auth = createSessionAuth({ baseUrl: server.url, store, clock });
    const error = await auth.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('session_expired');
  });

  it('logs out: revokes on the server, clears the store, notifies', async () => {
    const store = createMemorySessionStore();
    const changes: AuthChange[] = [];
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      store,
    });
    auth.onChange((c) => changes.push(c));
    const token = await auth.token();
    await auth.logout();
    expect(server.isRevoked(token)).toBe(true);
    expect(await store.get(DEFAULT_SESSION_KEY)).toBeUndefined();
    expect(auth.session()).toBeUndefined();
    expect(changes.at(-1)).toMatchObject({ reason: 'logout', session: undefined });
    // Used again, it logs in again.
    expect(await auth.token()).not.toBe(token);
    expect(server.calls.login).toBe(2);
  });

  it('rejects every call after dispose', async () => {
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
    });
    await auth.authorize(req());
    auth.dispose();
    await expect(auth.authorize(req())).rejects.toMatchObject({ code: 'disposed' });
    await expect(auth.token()).rejects.toMatchObject({ code: 'disposed' });
  });

  it('validates options at once', () => {
    expect(() => createSessionAuth({ baseUrl: 'not a url', username: 'a', password: 'b' })).toThrow(
      /baseUrl/,
    );
    expect(() => createSessionAuth({ baseUrl: server.url, username: 'a' })).toThrow(/together/);
    expect(() => createSessionAuth({ baseUrl: server.url })).toThrow(/needs username and password/);
    expect(() =>
      createSessionAuth({ baseUrl: server.url, username: 'a', password: 'b', refreshMargin: -1 }),
    ).toThrow(/refreshMargin/);
    expect(() =>
      createSessionAuth({ baseUrl: server.url, session: { token: 'x' } as unknown as SessionRecord }),
    ).toThrow(/session/);
    expect(() =>
      createSessionAuth({ baseUrl: server.url, username: 'a', password: 'b', accountId: '' }),
    ).toThrow(/accountId/);
  });

  it('surfaces wrong credentials as an AuthenticationError from the server', async () => {
    const auth = createSessionAuth({ baseUrl: server.url, username: ALICE.email, password: 'wrong', clock });
    const error = await auth.authorize(req()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect((error as AuthenticationError).requestId).toBeTypeOf('string');
  });
});
