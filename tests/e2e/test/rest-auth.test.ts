import { createIntegratorAuth, createTokenAuth } from '@callwire/auth-core';
import { AccountRequiredError, createClient, RateLimitError } from '@callwire/rest-client';
import { validateResponses } from '@callwire/rest-client/validation';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACME,
  ALICE,
  BAYSIDE,
  BOB,
  basicClient,
  type RestServer,
  sessionClient,
  startRestServer,
} from './helpers/rest-server.js';

let server: RestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server clock the test can move forward; the client keeps the real one. */
function movableClock() {
  let offset = 0;
  return {
    clock: { now: () => Date.now() + offset },
    advance(ms: number) {
      offset += ms;
    },
  };
}

describe('token expiry in the middle of 200 concurrent calls', () => {
  it('one refresh, no failed call', async () => {
    const time = movableClock();
    // Direct, not through the validating proxy: this test is about the client's concurrency.
    server = await startRestServer({ clock: time.clock, tokenLifetime: 3600 }, { validating: false });
    const alice = sessionClient(server, ALICE);
    await alice.accounts.current(); // logs in
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      calls.push(alice.accounts.current());
      // Halfway through, the token expires on the server (its clock jumps past the lifetime);
      // the client's own clock still says the token is fresh, so it finds out by 401s.
      if (i === 100) time.advance(3_601_000);
    }
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const paths = server.seen.map((r) => r.path);
    expect(paths.filter((p) => p === '/rest/auth/refresh')).toHaveLength(1);
    expect(paths.filter((p) => p === '/rest/auth/login')).toHaveLength(1);
    // Some calls did run into the expiry and were retried (more than 200 account requests).
    expect(paths.filter((p) => p === '/rest/account').length).toBeGreaterThan(200);
  });
});

describe('429 with Retry-After', () => {
  it('waits as long as the server says, then succeeds', async () => {
    const time = movableClock();
    server = await startRestServer({ clock: time.clock, rateLimit: { perPrincipalPerMinute: 3 } });
    // Bound to its account, so no account listing counts against the limit.
    const alice = basicClient(server, ALICE, {
      accountId: ACME,
      retry: { limit: 2, baseDelay: 1, maxDelay: 5 },
      hooks: {
        // The window resets on the server's clock: move it on once the client has waited.
        beforeRetry: [() => time.advance(2_000)],
      },
    });
    for (let i = 0; i < 3; i++) await alice.accounts.current();
    time.advance(59_000); // 1 s left in the window: the server will say Retry-After: 1
    const before = server.seen.length;
    await expect(alice.accounts.current()).resolves.toMatchObject({ uuid: ACME });
    const [limited, retried] = server.seen.slice(before);
    expect(retried).toBeDefined();
    // The client's own backoff is at most 5 ms here: only Retry-After explains the wait.
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
  }, 15_000);

  it('surfaces RateLimitError with retryAfter when retries are off', async () => {
    server = await startRestServer({ rateLimit: { perPrincipalPerMinute: 1 } });
    const alice = basicClient(server, ALICE, { accountId: ACME, retry: 0 });
    await alice.accounts.current();
    const error = await alice.accounts.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBeGreaterThan(0);
  });
});

describe('the other doors', () => {
  it('session auth for bob: bound to his default account, forAccount masquerades', async () => {
    server = await startRestServer();
    const bob = sessionClient(server, BOB);
    expect((await bob.accounts.current().withResponse()).accountId).toBe(BAYSIDE);
    const acme = await bob.forAccount(ACME).accounts.current().withResponse();
    expect(acme.accountId).toBe(ACME);
    expect(server.seen.some((r) => r.path === '/rest/auth/masquerade')).toBe(true);
  });

  it('an API token works like a session token', async () => {
    server = await startRestServer();
    const created = await basicClient(server, ALICE).auth.tokens.create({ name: 'script', ttl: 600 });
    const client = createClient({
      baseUrl: server.url,
      auth: createTokenAuth({ token: created.token! }),
      validate: validateResponses('strict'),
    });
    expect((await client.accounts.current()).uuid).toBe(ACME);
  });

  it('integrator: refused without an account (listing the linked ones), fine with forAccount', async () => {
    server = await startRestServer();
    const auth = createIntegratorAuth({
      appKey: 'demo-integrator',
      secret: 'demo-integrator-secret-1',
      baseUrl: server.url,
    });
    const client = createClient({ baseUrl: server.url, auth, validate: validateResponses('strict') });
    const error = await client.accounts.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountRequiredError);
    expect((error as AccountRequiredError).accounts.map((a) => a.uuid).sort()).toEqual(
      [ACME, BAYSIDE].sort(),
    );
    const { accountId } = await client.forAccount(BAYSIDE).accounts.current().withResponse();
    expect(accountId).toBe(BAYSIDE);
  });
});
