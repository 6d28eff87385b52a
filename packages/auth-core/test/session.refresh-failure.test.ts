import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError, NetworkError } from '../src/errors/index.js';
import { createSessionAuth } from '../src/session/session-auth.js';
import { ALICE, type AuthServer, manualClock, startAuthServer } from './helpers/auth-server.js';

let server: AuthServer;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock();
  server = await startAuthServer();
});
afterEach(() => server.close());

const create = () =>
  createSessionAuth({ baseUrl: server.url, username: ALICE.email, password: ALICE.password, clock });

describe('a refresh that fails', () => {
  it('with refresh_token_reused falls back to exactly one login, even for 1,000 waiting callers', async () => {
    const auth = create();
    await auth.authorize({ headers: new Headers() });
    server.fail('refresh', 401, 'refresh_token_reused');
    clock.advance(3600_000 + 1);
    await Promise.all(Array.from({ length: 1000 }, () => auth.authorize({ headers: new Headers() })));
    expect(server.calls.refresh).toBe(1);
    expect(server.calls.login).toBe(2);
  });

  it('with an expired refresh token falls back to one login', async () => {
    const auth = create();
    await auth.token();
    server.fail('refresh', 401, 'invalid_token');
    clock.advance(3600_000 + 1);
    await auth.token();
    expect(server.calls.login).toBe(2);
  });

  it('then a failing login ends in a typed AuthenticationError, with no further attempts', async () => {
    const auth = create();
    await auth.token();
    server.fail('refresh', 401, 'refresh_token_reused');
    server.fail('login', 401, 'invalid_credentials');
    clock.advance(3600_000 + 1);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => auth.token()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    const reason = (results[0] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(AuthenticationError);
    expect(reason).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(server.calls.refresh).toBe(1);
    expect(server.calls.login).toBe(2);
  });

  it('does not log in again on a server error; the error is passed on and the next call retries', async () => {
    const auth = create();
    await auth.token();
    server.fail('refresh', 503, 'unavailable');
    clock.advance(3600_000 + 1);
    await expect(auth.token()).rejects.toMatchObject({ status: 503 });
    expect(server.calls.login).toBe(1);
    await expect(auth.token()).resolves.toBeTypeOf('string');
    expect(server.calls.refresh).toBe(2);
  });

  it('skips a refresh token the server said has expired and logs in directly', async () => {
    const auth = create();
    await auth.token();
    clock.advance(31 * 86_400_000);
    await auth.token();
    expect(server.calls.refresh).toBe(0);
    expect(server.calls.login).toBe(2);
  });

  it('reports an unreachable server as a NetworkError', async () => {
    const url = server.url;
    await server.close();
    const auth = createSessionAuth({ baseUrl: url, username: ALICE.email, password: ALICE.password, clock });
    await expect(auth.token()).rejects.toBeInstanceOf(NetworkError);
    server = await startAuthServer();
  });
});

describe('a refused refresh token', () => {
  it('is never sent again: the next renewal signs in directly', async () => {
    const auth = create();
    await auth.token();
    server.fail('refresh', 401, 'refresh_token_reused');
    server.fail('login', 503, 'unavailable');
    clock.advance(3600_000 + 1);
    await expect(auth.token()).rejects.toMatchObject({ status: 503 });
    await expect(auth.token()).resolves.toBeTypeOf('string');
    expect(server.calls.refresh).toBe(1);
    expect(server.calls.login).toBe(3);
  });
});

describe('real refresh-token reuse detected by the server', () => {
  it('two copies of one session refresh with the same token: the loser logs in exactly once', async () => {
    const a = create();
    await a.token();
    const record = a.session()!;
    const b = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      session: record,
    });
    clock.advance(3600_000 + 1);
    await a.token(); // spends the refresh token
    expect(server.calls.refresh).toBe(1);
    const tokenB = await b.token(); // same refresh token again: 401 refresh_token_reused, family revoked
    expect(server.calls.refresh).toBe(2);
    expect(server.calls.login).toBe(2);
    expect(server.isRevoked(tokenB)).toBe(false);
  });
});

describe('a failing background refresh', () => {
  it('pauses before trying again, while the still-valid token keeps working', async () => {
    const warnings: string[] = [];
    const auth = createSessionAuth({
      baseUrl: server.url,
      username: ALICE.email,
      password: ALICE.password,
      clock,
      logger: { warn: (message) => warnings.push(message) },
    });
    await auth.token();
    server.fail('refresh', 503, 'unavailable', 100);
    clock.advance(3600_000 - 30_000); // inside the margin
    await auth.authorize({ headers: new Headers() });
    await expect.poll(() => warnings.some((w) => w.startsWith('Background token refresh failed'))).toBe(true);
    expect(server.calls.refresh).toBe(1);
    for (let i = 0; i < 50; i++) await auth.authorize({ headers: new Headers() });
    expect(server.calls.refresh).toBe(1);
    clock.advance(5_001);
    await auth.authorize({ headers: new Headers() });
    await expect.poll(() => server.calls.refresh).toBe(2);
  });
});
