import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountRequiredError } from '../src/errors/index.js';
import { parseIntegrator } from '../src/integrator.js';
import { createIntegratorAuth } from '../src/strategies/integrator-auth.js';
import { createTokenAuth } from '../src/strategies/token-auth.js';
import { ACME, type AuthServer, BAYSIDE, INTEGRATOR, startAuthServer } from './helpers/auth-server.js';

describe('API token auth', () => {
  it('sends the token as a bearer and gives it to the realtime client', async () => {
    const auth = createTokenAuth({ token: 'cw_api_123' });
    const r = { headers: new Headers() };
    await auth.authorize(r);
    expect(r.headers.get('authorization')).toBe('Bearer cw_api_123');
    expect(r.headers.has('x-account-id')).toBe(false);
    expect(await auth.token()).toBe('cw_api_123');
    expect(auth.kind).toBe('token');
  });

  it('binds an account with forAccount', async () => {
    const auth = createTokenAuth({ token: 'cw_api_123' }).forAccount(ACME.uuid);
    const r = { headers: new Headers() };
    await auth.authorize(r);
    expect(r.headers.get('x-account-id')).toBe(ACME.uuid);
  });

  it('cannot refresh', async () => {
    await expect(createTokenAuth({ token: 't' }).refresh({ rejected: 't' })).resolves.toBe(false);
  });

  it('refuses a token that cannot go into a header, without echoing it', () => {
    expect(() => createTokenAuth({ token: 'has space secret' })).toThrow(/token must be/);
    try {
      createTokenAuth({ token: 'has space secret' });
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });
});

describe('integrator auth', () => {
  let server: AuthServer;
  beforeEach(async () => {
    server = await startAuthServer();
  });
  afterEach(() => server.close());

  it('sends Integrator credentials and the account on every scoped request', async () => {
    const auth = createIntegratorAuth({
      appKey: 'demo-integrator',
      secret: 'demo-integrator-secret-1',
      accountId: ACME.uuid,
    });
    const r = { headers: new Headers() };
    await auth.authorize(r);
    expect(parseIntegrator(r.headers.get('authorization'))).toEqual({
      ok: true,
      appKey: 'demo-integrator',
      secret: 'demo-integrator-secret-1',
    });
    expect(r.headers.get('x-account-id')).toBe(ACME.uuid);
  });

  it('refuses a scoped request without an account, even before asking the server', async () => {
    const auth = createIntegratorAuth({ appKey: 'demo-integrator', secret: 's' });
    await expect(auth.authorize({ headers: new Headers() })).rejects.toBeInstanceOf(AccountRequiredError);
    await expect(
      auth.authorize({ headers: new Headers() }, { accountScoped: false }),
    ).resolves.toBeUndefined();
    await expect(auth.forAccount(ACME.uuid).authorize({ headers: new Headers() })).resolves.toBeUndefined();
  });

  it('lists the linked accounts in the error when it knows the API root', async () => {
    const auth = createIntegratorAuth({
      appKey: INTEGRATOR.email,
      secret: INTEGRATOR.password,
      baseUrl: server.url,
    });
    const error = (await auth
      .authorize({ headers: new Headers() })
      .catch((e: unknown) => e)) as AccountRequiredError;
    expect(error).toBeInstanceOf(AccountRequiredError);
    expect(error.accounts.map((a) => a.uuid)).toEqual([ACME.uuid, BAYSIDE.uuid]);
  });

  it('still refuses, with an empty list, when the lookup itself fails', async () => {
    const auth = createIntegratorAuth({ appKey: INTEGRATOR.email, secret: 'wrong', baseUrl: server.url });
    const error = (await auth
      .authorize({ headers: new Headers() })
      .catch((e: unknown) => e)) as AccountRequiredError;
    expect(error).toBeInstanceOf(AccountRequiredError);
    expect(error.accounts).toEqual([]);
  });

  it('explains that the realtime API needs a token', async () => {
    const auth = createIntegratorAuth({ appKey: 'a', secret: 's', accountId: ACME.uuid });
    await expect(auth.token()).rejects.toMatchObject({ code: 'token_unavailable' });
    await expect(auth.refresh()).resolves.toBe(false);
  });
});
