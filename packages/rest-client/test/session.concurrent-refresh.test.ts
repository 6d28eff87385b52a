import { createSessionAuth } from '@callwire/auth-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';
import { validateResponses } from '../src/validation.js';
import { fail, ok, type Stub, startStub } from './stub-server.js';

const ACCOUNT = {
  uuid: '6f1c1f2e-8a5b-4c1d-9e2f-0a1b2c3d4e5f',
  name: 'Acme Dental',
  email: 'office@acme.example',
  level: 'Level1',
  balance: 100,
  time_zone: 'UTC',
  created_on: '2026-01-16T14:15:48.540Z',
  modified_on: '2026-01-16T14:15:48.540Z',
};
const USER = {
  uuid: '7a2d2f3e-9b6c-4d2e-8f3a-1b2c3d4e5f60',
  email: 'alice@example.com',
  first_name: 'Alice',
  last_name: 'A',
  phone_number: null,
  role: 'User',
  api_access: true,
  status: 'active',
};

let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** Login and rotating refresh; the current token can be expired on the server at will. */
function sessionServer() {
  const state = { generation: 0, refreshes: 0, expired: false };
  const session = () => ({
    token: `token-${state.generation}`,
    token_expiration: new Date(Date.now() + 3_600_000).toISOString(),
    token_lifetime: 3600,
    refresh_token: `refresh-${state.generation}`,
    refresh_token_expiration: new Date(Date.now() + 86_400_000).toISOString(),
    user: USER,
    account: ACCOUNT,
  });
  return {
    state,
    start: () =>
      startStub((req, res) => {
        if (req.path === '/rest/auth/login') return ok(res, session());
        if (req.path === '/rest/auth/refresh') {
          const { refresh_token } = JSON.parse(req.body) as { refresh_token: string };
          if (refresh_token !== `refresh-${state.generation}`) return fail(res, 401, 'refresh_token_reused');
          state.refreshes += 1;
          state.generation += 1;
          state.expired = false;
          return ok(res, session());
        }
        const current = `Bearer token-${state.generation}`;
        if (req.headers.authorization !== current || state.expired) return fail(res, 401, 'token_expired');
        setTimeout(() => ok(res, ACCOUNT), 5);
      }),
  };
}

describe('token expiry under concurrency', () => {
  it('200 concurrent calls across an expiry: one refresh, no failed call', async () => {
    const server = sessionServer();
    stub = await server.start();
    const auth = createSessionAuth({ baseUrl: stub.url, username: 'alice@example.com', password: 'pw' });
    const client = createClient({ baseUrl: stub.url, auth, validate: validateResponses('strict') });
    await client.accounts.current();
    server.state.expired = true;
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => client.accounts.current()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.state.refreshes).toBe(1);
  });
});
