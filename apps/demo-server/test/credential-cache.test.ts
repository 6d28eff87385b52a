import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifiedCache } from '../src/identity/auth/verified-cache.js';
import type { RunningServer } from '../src/server.js';
import { AUTH, call } from './helpers/requests.js';
import { basic, startTestServer } from './helpers/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true });
});
afterAll(async () => {
  await server.close();
});

describe('verified-credential cache', () => {
  it('runs exactly one argon2 verification for 50 concurrent identical requests on a cold cache', async () => {
    server.ctx.auth.basicCache.clear();
    const before = server.ctx.auth.hasher.verifications;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => call(server, 'GET', '/rest/account', { auth: AUTH.alice })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(server.ctx.auth.hasher.verifications - before).toBe(1);
    // Warm: no verification at all.
    await call(server, 'GET', '/rest/account', { auth: AUTH.alice });
    expect(server.ctx.auth.hasher.verifications - before).toBe(1);
  });

  it('never caches a failure', async () => {
    const wrong = basic('dave@example.com', 'not-his-password');
    const before = server.ctx.auth.hasher.verifications;
    await call(server, 'GET', '/rest/account', { auth: wrong });
    await call(server, 'GET', '/rest/account', { auth: wrong });
    expect(server.ctx.auth.hasher.verifications - before).toBe(2);
  });

  it('expires entries after the TTL', async () => {
    let now = Date.now();
    const clocked = await startTestServer({ fastArgon2: true, clock: { now: () => now } });
    try {
      const before = clocked.ctx.auth.hasher.verifications;
      await call(clocked, 'GET', '/rest/account', { auth: AUTH.alice });
      await call(clocked, 'GET', '/rest/account', { auth: AUTH.alice });
      expect(clocked.ctx.auth.hasher.verifications - before).toBe(1);
      now += 61_000;
      await call(clocked, 'GET', '/rest/account', { auth: AUTH.alice });
      expect(clocked.ctx.auth.hasher.verifications - before).toBe(2);
    } finally {
      await clocked.close();
    }
  });
});

describe('verified-credential cache: revocation marks', () => {
  // Each revoked credential (logout, refresh, deleted token) leaves a mark in the cache.
  const cacheWith = (maxTags: number) => {
    const cache = new VerifiedCache<string>(60_000, () => Date.now(), 100, maxTags);
    const verify = (name: string, tags: string[]) =>
      cache.resolve(`key:${name}`, async () => ({ ok: true, value: name, tags }));
    return { cache, verify };
  };

  it('keeps at most maxTags marks however many credentials are revoked', async () => {
    const { cache, verify } = cacheWith(10);
    await verify('alice', ['user:alice']);
    for (let i = 0; i < 1_000; i++) cache.invalidate(`cred:${i}`);
    expect(cache.tagCount).toBeLessThanOrEqual(10);
    // Still a working cache afterwards: entries are served until their own tag is invalidated.
    await verify('bob', ['user:bob']);
    expect(cache.get('key:bob')).toBe('bob');
    cache.invalidate('user:bob');
    expect(cache.get('key:bob')).toBeUndefined();
  });

  it('never serves an entry revoked before its mark was let go', async () => {
    const { cache, verify } = cacheWith(10);
    await verify('alice', ['user:alice']);
    cache.invalidate('user:alice');
    for (let i = 0; i < 100; i++) cache.invalidate(`cred:${i}`);
    expect(cache.get('key:alice')).toBeUndefined();
  });
});
