import { createBasicAuth } from '@callwire/auth-core';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountRequiredError, AuthenticationError, createClient } from '../src/index.js';
import { fakeAuth } from './fake-auth.js';
import { fail, ok, type Stub, startStub } from './stub-server.js';

const ACME = { uuid: '6f1c1f2e-8a5b-4c1d-9e2f-0a1b2c3d4e5f', name: 'Acme Dental' };
const BAYSIDE = { uuid: '7a2d2f3e-9b6c-4d2e-8f3a-1b2c3d4e5f60', name: 'Bayside Realty' };
let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** Accepts only `Bearer new-token`. */
function tokenServer() {
  return startStub((req, res) =>
    req.headers.authorization === 'Bearer new-token'
      ? ok(res, { echo: req.body === '' ? null : JSON.parse(req.body) })
      : fail(res, 401, 'token_expired'),
  );
}

describe('401 → refresh → one retry', () => {
  it('refreshes once and retries the GET with the new token', async () => {
    stub = await tokenServer();
    const { strategy, state } = fakeAuth();
    const client = createClient({ baseUrl: stub.url, auth: strategy });
    await expect(client.request({ method: 'get', path: 'account' })).resolves.toEqual({ echo: null });
    expect(state.refreshes).toBe(1);
    expect(stub.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer old-token',
      'Bearer new-token',
    ]);
  });

  it('retries a POST with the same body and idempotency key', async () => {
    stub = await tokenServer();
    const { strategy } = fakeAuth();
    const client = createClient({ baseUrl: stub.url, auth: strategy });
    const result = await client.request({ method: 'post', path: 'sms', body: { to: '+12015550123' } });
    expect(result).toEqual({ echo: { to: '+12015550123' } });
    const [first, second] = stub.requests;
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
  });

  it('still retries once after a refresh when ordinary retries are off', async () => {
    stub = await tokenServer();
    const client = createClient({ baseUrl: stub.url, auth: fakeAuth().strategy, retry: 0 });
    await expect(client.request({ method: 'get', path: 'account' })).resolves.toEqual({ echo: null });
  });

  it('a second 401 stands as AuthenticationError, with one refresh', async () => {
    stub = await startStub((_req, res) => fail(res, 401, 'invalid_token'));
    const { strategy, state } = fakeAuth();
    const client = createClient({ baseUrl: stub.url, auth: strategy });
    const error = await client.accounts.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('invalid_token');
    expect(state.refreshes).toBe(1);
    expect(stub.requests).toHaveLength(2);
  });

  it('does not retry when the strategy cannot renew (static credentials)', async () => {
    stub = await startStub((_req, res) => fail(res, 401, 'invalid_credentials'));
    const { strategy } = fakeAuth('old-token', '');
    const client = createClient({ baseUrl: stub.url, auth: strategy });
    await expect(client.accounts.current()).rejects.toBeInstanceOf(AuthenticationError);
    expect(stub.requests).toHaveLength(1);
  });

  it('tells the strategy which endpoints are outside any account', async () => {
    stub = await startStub((_req, res) => ok(res, []));
    const { strategy, state } = fakeAuth('new-token');
    const client = createClient({ baseUrl: stub.url, auth: strategy });
    await client.accounts.list().toArray();
    await client.accounts.current();
    expect(state.authorizeCalls.map((o) => o?.accountScoped)).toEqual([false, true]);
  });
});

describe('account safety with Basic auth', () => {
  function accountsServer() {
    return startStub((req, res) => {
      if (req.path === '/rest/accounts')
        return ok(res, [
          { ...ACME, level: 'Level1', access: 'manager', default: false },
          { ...BAYSIDE, level: 'Level1', access: 'admin', default: true },
        ]);
      ok(res, { uuid: req.headers['x-account-id'] }, { 'x-account-id': String(req.headers['x-account-id']) });
    });
  }

  it('refuses an account-scoped call for a multi-account user before it leaves', async () => {
    stub = await accountsServer();
    const auth = createBasicAuth({ username: 'bob@example.com', password: 'pw', baseUrl: stub.url });
    const client = createClient({ baseUrl: stub.url, auth });
    const error = await client.numbers
      .list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountRequiredError);
    expect((error as AccountRequiredError).accounts.map((a) => a.name)).toEqual([
      'Acme Dental',
      'Bayside Realty',
    ]);
    expect(stub.requests.map((r) => r.path)).toEqual(['/rest/accounts']);
  });

  it('forAccount binds the account and shares the strategy’s account list', async () => {
    stub = await accountsServer();
    const auth = createBasicAuth({ username: 'bob@example.com', password: 'pw', baseUrl: stub.url });
    const client = createClient({ baseUrl: stub.url, auth });
    const acme = client.forAccount(ACME.uuid);
    expect(client.forAccount(ACME.uuid)).toBe(acme);
    expect(acme.accountId).toBe(ACME.uuid);
    const { accountId } = await acme.request({ method: 'get', path: 'account' }).withResponse();
    expect(accountId).toBe(ACME.uuid);
    const bound = createClient({ baseUrl: stub.url, auth, accountId: BAYSIDE.uuid });
    const { data } = await bound.request<{ uuid: string }>({ method: 'get', path: 'account' }).withResponse();
    expect(data.uuid).toBe(BAYSIDE.uuid);
  });
});
