import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AUTH } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({
    fastArgon2: true,
    rateLimit: { perPrincipalPerMinute: 0, bruteForcePerEmailIp: 1_000_000, bruteForcePerIp: 1_000_000 },
  });
});
afterAll(async () => {
  await server.close();
});

/** Characters a real HTTP header value may carry (HTAB, visible ASCII, obs-text). */
const headerChar = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(0x09), fc.integer({ min: 0x80, max: 0xff }))
  .map((c) => String.fromCharCode(c));
const headerValue = fc.array(headerChar, { maxLength: 120 }).map((a) => a.join(''));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const authorization = fc.oneof(
  headerValue,
  fc
    .tuple(fc.constantFrom('Basic', 'basic', 'BASIC', 'Bearer', 'Integrator', 'Digest', ''), headerValue)
    .map(([s, v]) => `${s} ${v}`),
  fc
    .tuple(fc.constantFrom('Basic', 'Integrator'), fc.string({ maxLength: 60 }))
    .map(([s, v]) => `${s} ${b64(v)}`),
  fc
    .tuple(fc.constantFrom('Basic', 'Integrator'), fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }))
    .map(([s, u, p]) => `${s} ${b64(`${u}:${p}`)}`),
  fc.constantFrom(
    'Bearer cws_',
    'Bearer cwt_x',
    'Bearer cwr_x',
    'Basic ====',
    'Basic Og==',
    'Basic OjpAOjo=',
  ),
);

function json(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

const anyBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map(json),
  fc.string({ maxLength: 200 }),
  fc
    .record(
      {
        username: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        password: fc.oneof(fc.string(), fc.boolean()),
        account_id: fc.oneof(fc.uuid(), fc.string()),
        auth_only: fc.oneof(fc.boolean(), fc.string()),
        refresh_token: fc.string(),
        name: fc.string(),
        ttl: fc.oneof(fc.integer(), fc.string(), fc.double()),
        email: fc.string(),
        access: fc.oneof(fc.constantFrom('admin', 'manager', 'viewer'), fc.string()),
      },
      { requiredKeys: [] },
    )
    .map(json),
);

const route = fc.constantFrom(
  ['POST', '/rest/auth/login'],
  ['POST', '/rest/auth/refresh'],
  ['POST', '/rest/auth/masquerade'],
  ['POST', '/rest/auth/logout'],
  ['POST', '/rest/token'],
  ['POST', '/rest/account/user'],
  ['PATCH', '/rest/account/user/0a11ce00-0000-4000-8000-0000000da4e1'],
  ['GET', '/rest/account'],
  ['GET', '/rest/accounts'],
  ['GET', '/rest/auth'],
  ['GET', '/rest/token'],
  ['GET', '/rest/account/user'],
) as fc.Arbitrary<[string, string]>;

const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('account_id', 'take', 'skip', 'token', 'x'), fc.string({ maxLength: 10 })),
      fc.string({ maxLength: 40 }),
    ),
    {
      maxLength: 4,
    },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

describe('property: bad input never produces a 500', () => {
  it('random and malformed Authorization headers', async () => {
    await fc.assert(
      fc.asyncProperty(authorization, fc.option(headerValue, { nil: undefined }), async (auth, xToken) => {
        const headers: Record<string, string> = { authorization: auth };
        if (xToken !== undefined) headers['x-auth-token'] = xToken;
        const res = await server.app.inject({ method: 'GET', url: '/rest/account', headers });
        expect(res.statusCode).toBeGreaterThanOrEqual(200);
        expect(res.statusCode).toBeLessThan(500);
        const body = JSON.parse(res.body);
        if (res.statusCode === 401) expect(res.headers['www-authenticate']).toBeDefined();
        if (res.statusCode >= 400) expect(body.success).toBe(false);
      }),
      { numRuns: 250 },
    );
  });

  it('random bodies, content types and query strings on every identity route', async () => {
    await fc.assert(
      fc.asyncProperty(
        route,
        anyBody,
        queryString,
        fc.constantFrom(
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
          'application/json; charset=utf-8',
        ),
        fc.constantFrom(AUTH.alice, AUTH.bob, AUTH.integrator, undefined),
        async ([method, url], body, query, type, auth) => {
          const headers: Record<string, string> = { 'content-type': type };
          if (auth !== undefined) headers.authorization = auth;
          const res = await server.app.inject({
            method: method as 'GET',
            url: query === '' ? url : `${url}?${query}`,
            headers,
            ...(method === 'GET' ? {} : { payload: body }),
          });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random URLs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.webQueryParameters(), async (path, query) => {
        const res = await server.app.inject({
          method: 'GET',
          url: `/rest${path}?${query}`,
          headers: { authorization: AUTH.alice },
        });
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });
});
