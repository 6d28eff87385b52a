import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../src/seed/demo-identity.js';
import type { RunningServer } from '../src/server.js';
import { ACME, AUTH, BAYSIDE, call, login } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true });
});
afterAll(async () => {
  await server.close();
});

describe('account users (admin)', () => {
  it('lists, adds, changes and removes users of the account', async () => {
    const list = await call(server, 'GET', '/rest/account/user', { auth: AUTH.alice });
    expect(list.status).toBe(200);
    expect(list.body.payload.total).toBe(3);
    const added = await call(server, 'POST', '/rest/account/user', {
      auth: AUTH.alice,
      body: { email: 'erin@example.com', access: 'viewer', first_name: 'Erin' },
    });
    expect(added.status).toBe(201);
    expect(added.body.payload).toMatchObject({
      email: 'erin@example.com',
      access: 'viewer',
      api_access: true,
    });
    const dup = await call(server, 'POST', '/rest/account/user', {
      auth: AUTH.alice,
      body: { email: 'Erin@example.com', access: 'viewer' },
    });
    expect(dup.status).toBe(409);
    const uuid = added.body.payload.uuid;
    const patched = await call(server, 'PATCH', `/rest/account/user/${uuid}`, {
      auth: AUTH.alice,
      body: { access: 'manager' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.payload.access).toBe('manager');
    const removed = await call(server, 'DELETE', `/rest/account/user/${uuid}`, { auth: AUTH.alice });
    expect(removed.status).toBe(204);
    const gone = await call(server, 'DELETE', `/rest/account/user/${uuid}`, { auth: AUTH.alice });
    expect(gone.status).toBe(404);
  });

  it('adds an existing user of another account (bob gives dave access to nothing he lacks)', async () => {
    const res = await call(server, 'POST', `/rest/account/user?account_id=${BAYSIDE}`, {
      auth: AUTH.bob,
      body: { email: 'alice@example.com', access: 'viewer' },
    });
    expect(res.status).toBe(201);
    // Alice is now multi-account: strict scoping asks her to choose.
    const scoped = await call(server, 'GET', '/rest/account', { auth: AUTH.alice });
    expect(scoped.status).toBe(400);
    expect(scoped.body.code).toBe('account_required');
    await call(server, 'DELETE', `/rest/account/user/${DEMO_USERS.alice.uuid}?account_id=${BAYSIDE}`, {
      auth: AUTH.bob,
    });
    const single = await call(server, 'GET', '/rest/account', { auth: AUTH.alice });
    expect(single.status).toBe(200);
  });

  it('drops cached credentials at once when api_access is switched off, and tokens stop working too', async () => {
    expect((await call(server, 'GET', '/rest/account', { auth: AUTH.dave })).status).toBe(200);
    const session = await login(server, 'dave@example.com', 'dave-pass-1');
    const off = await call(
      server,
      'PATCH',
      `/rest/account/user/${DEMO_USERS.dave.uuid}?account_id=${BAYSIDE}`,
      {
        auth: AUTH.bob,
        body: { api_access: false },
      },
    );
    expect(off.status).toBe(200);
    expect(off.body.payload.api_access).toBe(false);
    const basicRes = await call(server, 'GET', '/rest/account', { auth: AUTH.dave });
    expect(basicRes.status).toBe(403);
    expect(basicRes.body.code).toBe('api_access_disabled');
    const tokenRes = await call(server, 'GET', '/rest/account', { token: session.token });
    expect(tokenRes.status).toBe(403);
    await call(server, 'PATCH', `/rest/account/user/${DEMO_USERS.dave.uuid}?account_id=${BAYSIDE}`, {
      auth: AUTH.bob,
      body: { api_access: true },
    });
    expect((await call(server, 'GET', '/rest/account', { auth: AUTH.dave })).status).toBe(200);
  });

  it('drops cached memberships at once when a membership is removed', async () => {
    expect((await call(server, 'GET', `/rest/account?account_id=${ACME}`, { auth: AUTH.bob })).status).toBe(
      200,
    );
    await call(server, 'DELETE', `/rest/account/user/${DEMO_USERS.bob.uuid}`, { auth: AUTH.alice });
    const res = await call(server, 'GET', `/rest/account?account_id=${ACME}`, { auth: AUTH.bob });
    expect(res.status).toBe(403);
    await call(server, 'POST', '/rest/account/user', {
      auth: AUTH.alice,
      body: { email: 'bob@example.com', access: 'manager' },
    });
    expect((await call(server, 'GET', `/rest/account?account_id=${ACME}`, { auth: AUTH.bob })).status).toBe(
      200,
    );
  });

  it('refuses to remove or demote the last admin', async () => {
    const res = await call(server, 'PATCH', `/rest/account/user/${DEMO_USERS.alice.uuid}`, {
      auth: AUTH.alice,
      body: { access: 'viewer' },
    });
    expect(res.status).toBe(409);
  });

  it('rejects unknown fields and empty changes with validation_failed', async () => {
    const unknown = await call(server, 'POST', '/rest/account/user', {
      auth: AUTH.alice,
      body: { email: 'x@example.com', access: 'viewer', role: 'Admin' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('validation_failed');
    expect(unknown.body.fields['body.role']).toBeDefined();
    const empty = await call(server, 'PATCH', `/rest/account/user/${DEMO_USERS.carol.uuid}`, {
      auth: AUTH.alice,
      body: {},
    });
    expect(empty.status).toBe(400);
  });
});
