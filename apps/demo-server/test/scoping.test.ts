import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Area } from '../src/areas.js';
import { accountOf } from '../src/http/request-context.js';
import { identityArea } from '../src/identity/area.js';
import type { RunningServer } from '../src/server.js';
import { ACME, AUTH, BAYSIDE, call, login, UNKNOWN_ACCOUNT } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

/** A stand-in for the call-data report: scoped, and echoing the account it ran under. */
const reportRoutes: FastifyPluginAsync = async (app) => {
  app.get('/rest/reports/call-data', { config: { scoped: true } }, async (request) => ({
    success: true,
    payload: { account: accountOf(request).id, query: request.query },
  }));
  app.post('/rest/probe/write', { config: { access: 'manager' } }, async (request) => ({
    success: true,
    payload: { account: accountOf(request).id, body: request.body ?? null },
  }));
};
const probeArea: Area = { name: 'probe', routes: reportRoutes };

let strict: RunningServer;
let lenient: RunningServer;
beforeAll(async () => {
  [strict, lenient] = await Promise.all([
    startTestServer({ fastArgon2: true, areas: [identityArea, probeArea] }),
    startTestServer({ fastArgon2: true, areas: [identityArea, probeArea], accountScope: 'lenient' }),
  ]);
});
afterAll(async () => {
  await Promise.all([strict.close(), lenient.close()]);
});

const REPORT = '/rest/reports/call-data?start_date=2022-10-01&end_date=2022-10-02';

describe('the two curl requests of the call-data report', () => {
  it('strict: the multi-account user without account_id gets 400 account_required listing their accounts', async () => {
    const res = await call(strict, 'GET', REPORT, { auth: AUTH.bob });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('account_required');
    expect(res.body.accounts).toEqual(
      expect.arrayContaining([
        { uuid: ACME, name: 'Acme Dental' },
        { uuid: BAYSIDE, name: 'Bayside Realty' },
      ]),
    );
    expect(res.headers['x-account-id']).toBeUndefined();
  });

  it('lenient: the same request runs under the default account, named in X-Account-Id', async () => {
    const res = await call(lenient, 'GET', REPORT, { auth: AUTH.bob });
    expect(res.status).toBe(200);
    expect(res.body.payload.account).toBe(BAYSIDE);
    expect(res.headers['x-account-id']).toBe(BAYSIDE);
  });

  for (const mode of ['strict', 'lenient'] as const) {
    it(`${mode}: with account_id it runs under that account, and account_id is not passed on`, async () => {
      const server = mode === 'strict' ? strict : lenient;
      const res = await call(server, 'GET', `${REPORT}&account_id=${ACME}`, { auth: AUTH.bob });
      expect(res.status).toBe(200);
      expect(res.body.payload.account).toBe(ACME);
      expect(res.headers['x-account-id']).toBe(ACME);
      expect(res.body.payload.query.account_id).toBeUndefined();
    });

    it(`${mode}: a single-account user needs no account_id`, async () => {
      const server = mode === 'strict' ? strict : lenient;
      const res = await call(server, 'GET', REPORT, { auth: AUTH.alice });
      expect(res.status).toBe(200);
      expect(res.body.payload.account).toBe(ACME);
    });

    it(`${mode}: an integrator always needs account_id`, async () => {
      const server = mode === 'strict' ? strict : lenient;
      const res = await call(server, 'GET', REPORT, { auth: AUTH.integrator });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('account_required');
    });
  }
});

describe('naming the account', () => {
  it('accepts X-Account-Id, and account_id in a body', async () => {
    const h = await call(strict, 'GET', REPORT, { auth: AUTH.bob, headers: { 'x-account-id': ACME } });
    expect(h.body.payload.account).toBe(ACME);
    const b = await call(strict, 'POST', '/rest/probe/write', {
      auth: AUTH.bob,
      body: { account_id: BAYSIDE, x: 1 },
    });
    expect(b.status).toBe(200);
    expect(b.body.payload).toEqual({ account: BAYSIDE, body: { x: 1 } });
  });

  it('accepts the same account named twice, refuses two different ones with 400', async () => {
    const same = await call(strict, 'GET', `${REPORT}&account_id=${ACME}`, {
      auth: AUTH.bob,
      headers: { 'x-account-id': ACME },
    });
    expect(same.status).toBe(200);
    const diff = await call(strict, 'GET', `${REPORT}&account_id=${ACME}`, {
      auth: AUTH.bob,
      headers: { 'x-account-id': BAYSIDE },
    });
    expect(diff.status).toBe(400);
    expect(diff.body.code).toBe('invalid_request');
  });

  it('refuses an account the user does not belong to, whether or not it exists, with the same body', async () => {
    const real = await call(strict, 'GET', `${REPORT}&account_id=${BAYSIDE}`, { auth: AUTH.alice });
    const fake = await call(strict, 'GET', `${REPORT}&account_id=${UNKNOWN_ACCOUNT}`, { auth: AUTH.alice });
    expect(real.status).toBe(403);
    expect(real.body.code).toBe('account_forbidden');
    const { request_id: _a, ...r } = real.body;
    const { request_id: _b, ...f } = fake.body;
    expect(f).toEqual(r);
  });

  it('refuses a malformed account id with 400 validation_failed', async () => {
    const res = await call(strict, 'GET', `${REPORT}&account_id=12345`, { auth: AUTH.bob });
    expect(res.status).toBe(400);
    expect(res.body.fields['query.account_id']).toBeDefined();
  });

  it('uses the token account for a session, and refuses naming another account even with membership', async () => {
    const s = await login(strict, 'bob@example.com', 'bob-pass-1');
    const own = await call(strict, 'GET', REPORT, { token: s.token });
    expect(own.body.payload.account).toBe(BAYSIDE);
    const other = await call(strict, 'GET', `${REPORT}&account_id=${ACME}`, { token: s.token });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('account_forbidden');
  });

  it('runs every account-scoped response with X-Account-Id and unscoped ones without', async () => {
    const scoped = await call(strict, 'GET', '/rest/account', { auth: AUTH.alice });
    expect(scoped.headers['x-account-id']).toBe(ACME);
    const unscoped = await call(strict, 'GET', '/rest/accounts', { auth: AUTH.bob });
    expect(unscoped.headers['x-account-id']).toBeUndefined();
    expect(unscoped.body.payload).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ uuid: BAYSIDE, access: 'admin', default: true }),
        expect.objectContaining({ uuid: ACME, access: 'manager', default: false }),
      ]),
    );
  });
});

describe('access levels', () => {
  it('viewer may read but not write', async () => {
    expect((await call(strict, 'GET', REPORT, { auth: AUTH.dave })).status).toBe(200);
    const w = await call(strict, 'POST', '/rest/probe/write', { auth: AUTH.dave, body: {} });
    expect(w.status).toBe(403);
    expect(w.body.code).toBe('forbidden');
  });

  it('manager may write but not manage users; admin may', async () => {
    const w = await call(strict, 'POST', `/rest/probe/write?account_id=${ACME}`, {
      auth: AUTH.bob,
      body: {},
    });
    expect(w.status).toBe(200);
    const users = await call(strict, 'GET', `/rest/account/user?account_id=${ACME}`, { auth: AUTH.bob });
    expect(users.status).toBe(403);
    const admin = await call(strict, 'GET', `/rest/account/user?account_id=${BAYSIDE}`, { auth: AUTH.bob });
    expect(admin.status).toBe(200);
    expect(admin.body.payload.data.map((u: { email: string }) => u.email).sort()).toEqual([
      'bob@example.com',
      'dave@example.com',
    ]);
  });

  it('integrators act with manager access on linked accounts', async () => {
    const w = await call(strict, 'POST', `/rest/probe/write?account_id=${ACME}`, {
      auth: AUTH.integrator,
      body: {},
    });
    expect(w.status).toBe(200);
    const users = await call(strict, 'GET', `/rest/account/user?account_id=${ACME}`, {
      auth: AUTH.integrator,
    });
    expect(users.status).toBe(403);
  });
});
