import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../src/seed/demo-identity.js';
import type { RunningServer } from '../src/server.js';
import { AUTH, BAYSIDE, call } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

describe('a viewer’s personal API token', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ fastArgon2: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('can be created, reads like its user, and never writes more than its user may', async () => {
    // dave is a viewer of Bayside Realty.
    const created = await call(server, 'POST', '/rest/token', {
      auth: AUTH.dave,
      body: { name: 'dashboard', ttl: 3600 },
    });
    expect(created.status).toBe(201);
    const token = created.body.payload.token as string;

    const read = await call(server, 'GET', '/rest/account', { token });
    expect(read.status).toBe(200);
    expect(read.body.payload.uuid).toBe(BAYSIDE);
    const write = await call(server, 'POST', '/rest/profile/messaging', {
      token,
      body: { name: 'by a viewer' },
    });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('forbidden');

    // The account admin sees it among the account's tokens; dave sees his own.
    const mine = await call(server, 'GET', '/rest/token', { auth: AUTH.dave });
    expect(mine.body.payload.data.map((t: { name: string }) => t.name)).toEqual(['dashboard']);
    const all = await call(server, 'GET', `/rest/token?account_id=${BAYSIDE}`, { auth: AUTH.bob });
    expect(all.body.payload.data.map((t: { name: string }) => t.name)).toContain('dashboard');

    // The token follows its user's access as it changes: promoted, it writes; removed, it is refused.
    const users = await call(server, 'GET', `/rest/account/user?account_id=${BAYSIDE}`, { auth: AUTH.bob });
    const dave = users.body.payload.data.find((u: { email: string }) => u.email === DEMO_USERS.dave.email);
    const promoted = await call(server, 'PATCH', `/rest/account/user/${dave.uuid}?account_id=${BAYSIDE}`, {
      auth: AUTH.bob,
      body: { access: 'manager' },
    });
    expect(promoted.status).toBe(200);
    const now = await call(server, 'POST', '/rest/profile/messaging', {
      token,
      body: { name: 'by a manager' },
    });
    expect(now.status).toBe(201);
    const removed = await call(server, 'DELETE', `/rest/account/user/${dave.uuid}?account_id=${BAYSIDE}`, {
      auth: AUTH.bob,
    });
    expect(removed.status).toBe(204);
    const after = await call(server, 'GET', '/rest/account', { token });
    expect([after.status, after.body.code]).toEqual([403, 'account_forbidden']);
  });
});
