import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_USERS } from '../src/seed/demo-identity.js';
import type { RunningServer } from '../src/server.js';
import { basic, dropSchema, startTestServer, TEST_DATABASE_URL } from './helpers/test-server.js';
import { alice, dave, TestSocket } from './realtime-helpers.js';

/** Polls `check` every 20 ms (real instances, real time) and fails after `withinMs`. */
async function within(withinMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function status(server: RunningServer, authorization: string): Promise<number> {
  const url = `/rest/account?account_id=${DEMO_ACCOUNTS.acme.uuid}`;
  const res = await server.app.inject({ method: 'GET', url, headers: { authorization } });
  return res.statusCode;
}

describe.runIf(TEST_DATABASE_URL !== undefined)('two instances sharing one PostgreSQL database', () => {
  const schema = `par_${randomBytes(6).toString('hex')}`;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    a = await startTestServer({ fastArgon2: true, databaseSchema: schema });
    b = await startTestServer({ fastArgon2: true, databaseSchema: schema, seed: false });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropSchema(schema);
  });

  it('a logout on one instance closes the session’s sockets and refuses its token on the other within 1 s', async () => {
    const { token } = await alice(a);
    const socket = await TestSocket.authed(b, token);
    // B has the token cached now.
    expect(await status(b, `Bearer ${token}`)).toBe(200);
    const out = await a.app.inject({
      method: 'POST',
      url: '/rest/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBeLessThan(300);
    const closed = await Promise.race([
      socket.closed,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000)),
    ]);
    expect(closed?.code).toBe(4401);
    await within(1000, async () => (await status(b, `Bearer ${token}`)) === 401);
  });

  it('turning off a user’s API access on one instance refuses their cached Basic credentials on the other within 1 s', async () => {
    const bob = basic('bob@example.com', 'bob-pass-1');
    expect(await status(b, bob)).toBe(200);
    const off = await a.app.inject({
      method: 'PATCH',
      url: `/rest/account/user/${DEMO_USERS.bob.uuid}`,
      headers: { authorization: basic('alice@example.com', 'alice-pass-1') },
      payload: { api_access: false },
    });
    expect(off.statusCode).toBe(200);
    await within(1000, async () => (await status(b, bob)) === 403);
  });

  it('wss_online counts the sockets on every instance', async () => {
    const { token } = await dave(a);
    const online = async (server: RunningServer) => {
      const res = await server.app.inject({
        method: 'GET',
        url: '/rest/auth',
        headers: { authorization: `Bearer ${token}` },
      });
      return res.json().payload.wss_online as boolean;
    };
    expect(await online(b)).toBe(false);
    const socket = await TestSocket.authed(a, token);
    await within(1000, () => online(b));
    socket.close();
    await socket.closed;
    await within(1000, async () => !(await online(b)));
  });
});
