import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionError } from '../src/errors/index.js';
import { createSessionAuth } from '../src/session/session-auth.js';
import { createMemorySessionStore, DEFAULT_SESSION_KEY } from '../src/session/store.js';
import type { AuthChange } from '../src/strategy.js';
import { ACME, type AuthServer, BAYSIDE, BOB, manualClock, startAuthServer } from './helpers/auth-server.js';

let server: AuthServer;
let clock: ReturnType<typeof manualClock>;
beforeEach(async () => {
  clock = manualClock();
  server = await startAuthServer();
});
afterEach(() => server.close());

const create = (store = createMemorySessionStore()) =>
  createSessionAuth({ baseUrl: server.url, username: BOB.email, password: BOB.password, clock, store });

describe('forAccount (masquerade)', () => {
  it('masquerades once per account and binds requests to it', async () => {
    const auth = create();
    const acme = auth.forAccount(ACME.uuid);
    const r = { headers: new Headers() };
    await Promise.all(Array.from({ length: 100 }, () => acme.authorize({ headers: new Headers() })));
    await acme.authorize(r);
    expect(server.calls.login).toBe(1);
    expect(server.calls.masquerade).toBe(1);
    expect(r.headers.get('x-account-id')).toBe(ACME.uuid);
    expect(r.headers.get('authorization')).toBe(`Bearer ${acme.session()?.token}`);
    expect(acme.session()?.accountId).toBe(ACME.uuid);
    expect(auth.session()?.accountId).toBe(BAYSIDE.uuid);
  });

  it('returns the same cached strategy for the same account', () => {
    const auth = create();
    expect(auth.forAccount(ACME.uuid)).toBe(auth.forAccount(ACME.uuid));
    expect(auth.forAccount(ACME.uuid).forAccount(BAYSIDE.uuid)).toBe(auth.forAccount(BAYSIDE.uuid));
  });

  it('keeps one session per account in the shared store', async () => {
    const store = createMemorySessionStore();
    const auth = create(store);
    await auth.forAccount(ACME.uuid).token();
    expect((await store.get(ACME.uuid))?.accountId).toBe(ACME.uuid);
    expect((await store.get(DEFAULT_SESSION_KEY))?.accountId).toBe(BAYSIDE.uuid);
  });

  it('refreshes an account session with its own refresh token', async () => {
    const auth = create();
    const acme = auth.forAccount(ACME.uuid);
    await acme.token();
    clock.advance(3600_000 + 1);
    await acme.token();
    expect(server.calls.masquerade).toBe(1);
    expect(server.calls.refresh).toBeGreaterThanOrEqual(1);
    expect(acme.session()?.accountId).toBe(ACME.uuid);
  });

  it('masquerades again when the account session cannot be refreshed', async () => {
    const auth = create();
    const acme = auth.forAccount(ACME.uuid);
    await acme.token();
    server.fail('refresh', 401, 'refresh_token_reused');
    clock.advance(3600_000 + 1);
    await acme.token();
    expect(server.calls.masquerade).toBe(2);
  });

  it('reports changes of account sessions to the root listeners too', async () => {
    const changes: AuthChange[] = [];
    const auth = create();
    auth.onChange((c) => changes.push(c));
    await auth.forAccount(ACME.uuid).token();
    expect(changes.map((c) => [c.reason, c.accountId])).toEqual([
      ['login', BAYSIDE.uuid],
      ['masquerade', ACME.uuid],
    ]);
  });

  it('refuses an account the user does not belong to with a PermissionError', async () => {
    const auth = create();
    const other = auth.forAccount('99999999-9999-4999-8999-999999999999');
    await expect(other.token()).rejects.toBeInstanceOf(PermissionError);
  });

  it('logs every account session out with the root', async () => {
    const auth = create();
    const acmeToken = await auth.forAccount(ACME.uuid).token();
    const rootToken = await auth.token();
    await auth.logout();
    expect(server.isRevoked(acmeToken)).toBe(true);
    expect(server.isRevoked(rootToken)).toBe(true);
  });

  it('returns the root itself for the account the root is bound to', () => {
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: BOB.email,
      password: BOB.password,
      accountId: ACME.uuid,
    });
    expect(auth.forAccount(ACME.uuid)).toBe(auth);
  });
});
