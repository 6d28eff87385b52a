import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasic } from '../src/basic.js';
import { AccountRequiredError, AuthenticationError } from '../src/errors/index.js';
import { createBasicAuth } from '../src/strategies/basic-auth.js';
import { ACME, ALICE, type AuthServer, BAYSIDE, BOB, startAuthServer } from './helpers/auth-server.js';

let server: AuthServer;
beforeEach(async () => {
  server = await startAuthServer();
});
afterEach(() => server.close());

/** What a client does: authorize, then send. */
async function send(auth: ReturnType<typeof createBasicAuth>, path: string, scoped = true) {
  const request = new Request(`${server.url}${path}`);
  await auth.authorize(request, { accountScoped: scoped });
  return fetch(request);
}

describe('basic auth', () => {
  it('sends RFC 7617 credentials, UTF-8 and colons included', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: BOB.password, accountId: BAYSIDE.uuid });
    const r = { headers: new Headers() };
    await auth.authorize(r);
    expect(r.headers.get('authorization')).toBe(encodeBasic(BOB.email, BOB.password));
    expect(r.headers.get('x-account-id')).toBe(BAYSIDE.uuid);
  });

  it('refuses, with the accounts listed, an account-scoped request of a multi-account user before it leaves', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: BOB.password, baseUrl: server.url });
    const error = await send(auth, '/rest/account').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountRequiredError);
    expect((error as AccountRequiredError).accounts).toEqual([
      { uuid: BAYSIDE.uuid, name: BAYSIDE.name },
      { uuid: ACME.uuid, name: ACME.name },
    ]);
    expect((error as AccountRequiredError).message).toContain('Bayside Realty');
    expect(server.calls.account).toBe(0);
  });

  it('finds the API root from the request URL when given no baseUrl', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: BOB.password });
    await expect(send(auth, '/rest/account')).rejects.toBeInstanceOf(AccountRequiredError);
    expect(server.calls.accounts).toBe(1);
    expect(server.calls.account).toBe(0);
  });

  it('lists the accounts once for any number of concurrent requests and caches them', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: BOB.password, baseUrl: server.url });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => auth.authorize({ headers: new Headers() })),
    );
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof AccountRequiredError)).toBe(
      true,
    );
    await auth.authorize({ headers: new Headers() }).catch(() => {});
    expect(server.calls.accounts).toBe(1);
  });

  it('lets forAccount() copies share the cached list and send X-Account-Id', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: BOB.password, baseUrl: server.url });
    await auth.authorize({ headers: new Headers() }).catch(() => {});
    const acme = auth.forAccount(ACME.uuid);
    expect(acme.accountId).toBe(ACME.uuid);
    const response = await send(acme, '/rest/account');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-account-id')).toBe(ACME.uuid);
    expect(server.calls.accounts).toBe(1);
  });

  it('lets a request that names its account pass', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: BOB.password, baseUrl: server.url });
    const request = new Request(`${server.url}/rest/account`, { headers: { 'X-Account-Id': ACME.uuid } });
    await auth.authorize(request);
    expect((await fetch(request)).status).toBe(200);
    const byQuery = new Request(`${server.url}/rest/numbers?account_id=${ACME.uuid}`);
    await expect(auth.authorize(byQuery)).resolves.toBeUndefined();
  });

  it('lets a single-account user through unbound', async () => {
    const auth = createBasicAuth({ username: ALICE.email, password: ALICE.password, baseUrl: server.url });
    const response = await send(auth, '/rest/account');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-account-id')).toBe(ACME.uuid);
  });

  it('does not look accounts up for requests that are not account-scoped', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: BOB.password, baseUrl: server.url });
    const response = await send(auth, '/rest/accounts', false);
    expect(response.status).toBe(200);
    expect(server.calls.accounts).toBe(1); // the request itself, not a guard lookup
  });

  it('reports wrong credentials from the lookup as AuthenticationError and does not cache the failure', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: 'wrong', baseUrl: server.url });
    await expect(auth.authorize({ headers: new Headers() })).rejects.toBeInstanceOf(AuthenticationError);
    await expect(auth.authorize({ headers: new Headers() })).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.calls.accounts).toBe(2);
  });

  it('cannot refresh: refresh() resolves false so the 401 stands', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: BOB.password });
    await expect(auth.refresh({ rejected: 'x' })).resolves.toBe(false);
  });

  it('opens a session for token() (the realtime API takes tokens only), bound to the chosen account', async () => {
    const auth = createBasicAuth({ username: BOB.email, password: BOB.password, baseUrl: server.url });
    await expect(auth.token()).rejects.toBeInstanceOf(AccountRequiredError);
    const acme = auth.forAccount(ACME.uuid);
    const token = await acme.token();
    expect(token).toMatch(/^tok_/);
    expect(await acme.token()).toBe(token);
    expect(server.calls.login).toBe(1);
  });

  it('explains that token() needs a baseUrl', async () => {
    const auth = createBasicAuth({ username: ALICE.email, password: ALICE.password });
    await expect(auth.token()).rejects.toMatchObject({ code: 'token_unavailable' });
  });

  it('validates options at once', () => {
    expect(() => createBasicAuth({ username: 'a:b', password: 'x' })).toThrow(/colon/);
    expect(() => createBasicAuth({ username: '', password: 'x' })).toThrow(/username/);
    expect(() => createBasicAuth({ username: 'a', password: 'x', baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
    expect(() => createBasicAuth({ username: 'a', password: 'x', accountId: 'has space' })).toThrow(
      /accountId/,
    );
  });
});
