import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, USAGE } from '../src/config.js';
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS } from '../src/http/cors.js';
import type { RunningServer } from '../src/server.js';
import { AUTH } from './helpers/requests.js';
import { basic, startTestServer } from './helpers/test-server.js';

const VITE = 'http://localhost:5173';

function preflight(
  server: RunningServer,
  url: string,
  origin: string | undefined,
  extra: Record<string, string> = {},
) {
  return server.app.inject({
    method: 'OPTIONS',
    url,
    headers: {
      ...(origin === undefined ? {} : { origin }),
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, idempotency-key',
      ...extra,
    },
  });
}

function corsHeaders(headers: Record<string, unknown>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-'));
}

describe('CORS with the default origin *', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // A tight rate limit and brute-force limit, to show preflights take nothing from either.
    server = await startTestServer({
      fastArgon2: true,
      rateLimit: { perPrincipalPerMinute: 2, bruteForcePerEmailIp: 2 },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a preflight 204 with methods, headers and max-age, never credentials', async () => {
    const res = await preflight(server, '/rest/sms', VITE);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE, OPTIONS');
    expect(res.headers['access-control-allow-headers']).toBe(CORS_ALLOW_HEADERS);
    for (const name of [
      'authorization',
      'content-type',
      'idempotency-key',
      'x-account-id',
      'x-auth-token',
      'x-request-id',
    ]) {
      expect(CORS_ALLOW_HEADERS.split(', ')).toContain(name);
    }
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers preflights of routes with path parameters and of unknown paths alike', async () => {
    for (const url of ['/rest/account/user/0a11ce00-0000-4000-8000-0000000da4e1', '/rest/nope', '/']) {
      const res = await preflight(server, url, VITE);
      expect(res.statusCode, url).toBe(204);
      expect(res.headers['access-control-allow-origin'], url).toBe('*');
    }
  });

  it('runs no authentication, rate limit or brute-force counting on preflights', async () => {
    // Wrong passwords on preflights: no 401, and the brute-force counter (2) is not touched.
    for (let i = 0; i < 4; i++) {
      const res = await preflight(server, '/rest/account', VITE, {
        authorization: basic('alice@example.com', 'wrong-password'),
      });
      expect(res.statusCode).toBe(204);
    }
    // Right credentials on preflights do not use the per-principal budget (2 a minute).
    for (let i = 0; i < 4; i++) {
      const res = await preflight(server, '/rest/account', VITE, { authorization: AUTH.alice });
      expect(res.statusCode).toBe(204);
    }
    for (let i = 0; i < 2; i++) {
      const res = await server.app.inject({
        method: 'GET',
        url: '/rest/account',
        headers: { origin: VITE, authorization: AUTH.alice },
      });
      expect(res.statusCode).toBe(200);
    }
  });

  it('stores nothing for an Idempotency-Key on a preflight', async () => {
    const key = 'cors-preflight-key';
    expect((await preflight(server, '/rest/auth/login', VITE, { 'idempotency-key': key })).statusCode).toBe(
      204,
    );
    const res = await server.app.inject({
      method: 'POST',
      url: '/rest/auth/login',
      headers: { origin: VITE, 'content-type': 'application/json', 'idempotency-key': key },
      payload: JSON.stringify({ username: 'bob@example.com', password: 'bob-pass-1' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('puts Allow-Origin and Expose-Headers on actual answers, errors and 404s included', async () => {
    const ok = await server.app.inject({
      method: 'GET',
      url: '/rest/accounts',
      headers: { origin: VITE, authorization: AUTH.bob },
    });
    const unauthenticated = await server.app.inject({
      method: 'GET',
      url: '/rest/account',
      headers: { origin: VITE },
    });
    const missing = await server.app.inject({ method: 'GET', url: '/rest/nope', headers: { origin: VITE } });
    expect(unauthenticated.statusCode).toBe(401);
    expect(missing.statusCode).toBe(404);
    for (const res of [ok, unauthenticated, missing]) {
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-expose-headers']).toBe(CORS_EXPOSE_HEADERS);
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    for (const name of [
      'x-request-id',
      'x-account-id',
      'idempotent-replayed',
      'retry-after',
      'www-authenticate',
    ]) {
      expect(CORS_EXPOSE_HEADERS.split(', ')).toContain(name);
    }
    expect(unauthenticated.headers['www-authenticate']).toBeDefined();
  });

  it('sends no CORS headers to a request without Origin (curl, servers)', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: '/rest/accounts',
      headers: { authorization: AUTH.dave },
    });
    expect(res.statusCode).toBe(200);
    expect(corsHeaders(res.headers)).toEqual([]);
  });
});

describe('CORS with a list of origins', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const { config } = parseConfig(['--cors-origin', `${VITE}, https://app.example.com/`, '--memory']);
    server = await startTestServer({ fastArgon2: true, config });
  });
  afterAll(async () => {
    await server.close();
  });

  it('echoes an allowed origin and varies on Origin', async () => {
    const pre = await preflight(server, '/rest/sms', 'https://app.example.com');
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(pre.headers['access-control-allow-methods']).toBeDefined();
    expect(pre.headers.vary).toMatch(/origin/i);
    const res = await server.app.inject({
      method: 'GET',
      url: '/rest/accounts',
      headers: { origin: VITE, authorization: AUTH.bob },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(VITE);
    expect(res.headers['access-control-expose-headers']).toBe(CORS_EXPOSE_HEADERS);
    expect(res.headers.vary).toMatch(/origin/i);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('gives a disallowed origin no CORS headers, and no error', async () => {
    const evil = 'https://evil.example';
    const pre = await preflight(server, '/rest/sms', evil);
    expect(pre.statusCode).toBe(204);
    expect(corsHeaders(pre.headers)).toEqual([]);
    const res = await server.app.inject({
      method: 'GET',
      url: '/rest/accounts',
      headers: { origin: evil, authorization: AUTH.bob },
    });
    expect(res.statusCode).toBe(200);
    expect(corsHeaders(res.headers)).toEqual([]);
    // Another port of an allowed host is another origin.
    const port = await preflight(server, '/rest/sms', 'http://localhost:3000');
    expect(corsHeaders(port.headers)).toEqual([]);
  });
});

describe('--cors-origin', () => {
  it('defaults to * and is listed in --help', () => {
    expect(parseConfig([]).config.corsOrigins).toBe('*');
    expect(USAGE).toContain('--cors-origin');
  });

  it('reads a comma-separated list, normalised as browsers send Origin, from the flag or the environment', () => {
    expect(
      parseConfig(['--cors-origin', 'http://LOCALHOST:5173/,https://app.example.com:443']).config.corsOrigins,
    ).toEqual(['http://localhost:5173', 'https://app.example.com']);
    expect(parseConfig([], { CALLWIRE_CORS_ORIGIN: VITE }).config.corsOrigins).toEqual([VITE]);
    expect(parseConfig(['--cors-origin', '*'], { CALLWIRE_CORS_ORIGIN: VITE }).config.corsOrigins).toBe('*');
  });

  it('refuses what is not an origin with a sentence', () => {
    for (const bad of [
      ',',
      '*,http://localhost:5173',
      'localhost:5173',
      'http://localhost:5173/app',
      'ftp://x.example',
    ]) {
      expect(() => parseConfig(['--cors-origin', bad]), bad).toThrow(ConfigError);
    }
  });
});
