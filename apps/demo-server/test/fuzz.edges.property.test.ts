import { WS_CLOSE, WsServerMessageSchema } from '@callwire/types';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AUTH } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';
import { alice, TestSocket } from './realtime-helpers.js';

/**
 * The whole API from outside, with fast-check: every documented operation with random auth headers,
 * bodies, query strings and path parameters, and random websocket frames on real sockets. Whatever
 * comes in, nothing answers 5xx, and every error is the contract's envelope with X-Request-Id.
 */

let server: RunningServer;
let token: string;
/** The websocket's own sign-in: the HTTP fuzz may log `token` out (that is a legal request too). */
let wsToken: string;
let operations: Array<{ method: string; path: string }>;
let inputs = 0;

beforeAll(async () => {
  server = await startTestServer({
    fastArgon2: true,
    rateLimit: { perPrincipalPerMinute: 0, bruteForcePerEmailIp: 1e9, bruteForcePerIp: 1e9 },
    realtime: { messageBurst: 1e6, messagesPerSecond: 1e6 },
  });
  token = (await alice(server)).token;
  wsToken = (await alice(server)).token;
  const doc = JSON.parse((await server.app.inject({ method: 'GET', url: '/openapi.json' })).body) as {
    paths: Record<string, Record<string, unknown>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(async () => {
  await server.close();
  console.log(`fuzz: ${inputs} inputs, 0 answered 5xx, every error in the envelope`);
});

/** The contract's promise for any answer. */
function expectContract(res: LightMyRequestResponse, what: string): void {
  inputs++;
  const where = `${what} -> ${res.statusCode} ${res.body.slice(0, 200)}`;
  expect(res.statusCode, where).toBeLessThan(500);
  const requestId = res.headers['x-request-id'];
  expect(requestId, where).toBeTypeOf('string');
  if (res.statusCode < 400) return;
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body, where).toMatchObject({ success: false, status: res.statusCode, request_id: requestId });
  expect(body.code, where).toMatch(/^[a-z_]+$/);
  expect(body.message, where).toBeTypeOf('string');
  if (res.statusCode === 401) expect(res.headers['www-authenticate'], where).toBeDefined();
}

const headerChar = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(0x09), fc.integer({ min: 0x80, max: 0xff }))
  .map((c) => String.fromCharCode(c));
const headerValue = fc.array(headerChar, { maxLength: 80 }).map((a) => a.join(''));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const email = fc.constantFrom(
  'alice@example.com',
  ' alice@example.com',
  'ALICE@example.com ',
  'bob@example.com',
  'carol@example.com',
  'nobody@example.com',
);

const authorization = fc.oneof(
  fc.constantFrom(AUTH.alice, AUTH.bob, AUTH.dave, AUTH.carol, AUTH.integrator),
  fc.constant('TOKEN'),
  headerValue,
  fc
    .tuple(fc.constantFrom('Basic', 'basic', 'Bearer', 'Integrator', 'Digest', ''), headerValue)
    .map(([s, v]) => `${s} ${v}`),
  fc.tuple(email, fc.string({ maxLength: 20 })).map(([u, p]) => `Basic ${b64(`${u}:${p}`)}`),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }))
    .map(([k, s]) => `Integrator ${b64(`${k}:${s}`)}`),
  fc.constantFrom('Bearer cws_', 'Bearer cwt_x', 'Basic ====', 'Basic Og==', 'Bearer'),
);

const FIELDS = [
  'account_id',
  'take',
  'skip',
  'start_date',
  'end_date',
  'after_seq',
  'types',
  'state',
  'direction',
  'created_on_from',
  'created_on_to',
  'to',
  'from',
  'message',
  'url',
  'callback_url',
  'call_flow_url',
  'custom_callback_url',
  'name',
  'channel',
  'expired_on',
  'username',
  'password',
  'refresh_token',
  'tn',
  'email',
  'access',
  'ttl',
  'talk_secs',
  'is_active',
  'npa',
  'quantity',
  'numbers',
  'autorenew',
];
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '9999-12-31',
    '0000-01-01',
    '2026-02-30',
    '2026-01-01',
    '2026-01-01T00:00:00Z',
    '+12015550100',
    'http://169.254.169.254/',
    'http://[fe80::1]/',
    'http://127.0.0.1:9/',
    'not a url',
    '*',
    'sms.*',
    '0a11ce00-0000-4000-8000-0000000f00f0',
    '-1',
    '1e309',
    'NaN',
    'nul \u0000 inside',
  ),
);
const fieldValue = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }),
);

const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ maxLength: 100 }),
  fc.constantFrom(
    '',
    '\uFEFF{}',
    '{"a":',
    '[]',
    'null',
    '{"__proto__":{}}',
    `${'['.repeat(40)}${']'.repeat(40)}`,
  ),
);

const queryString = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.constantFrom(...FIELDS, 'x', 'token'),
        fc.oneof(scalar.map(String), fc.string({ maxLength: 20 })),
      ),
      {
        maxLength: 4,
      },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')),
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom('%zz', 'a=%E0%A4%A', 'take=%00', '&&&', '=', 'a[b]=1', `filler=${'x'.repeat(9000)}`),
);

const pathParam = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom('%zz', '%', '..', '%2e%2e', '+12015550100', '2015550100', 'a'.repeat(600), '%00', 'null'),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  '',
);

function fill(path: string, params: string[]): string {
  let i = 0;
  return path.replace(/\{[^}]+\}/g, () => params[i++ % params.length] ?? 'x');
}

async function hit(
  op: { method: string; path: string },
  options: { auth?: string | undefined; params: string[]; query?: string; body?: string; type?: string },
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (options.auth !== undefined) headers.authorization = options.auth;
  if (options.type !== undefined && options.type !== '') headers['content-type'] = options.type;
  const url = fill(op.path, options.params) + (options.query ? `?${options.query}` : '');
  return server.app.inject({
    method: op.method as 'GET',
    url,
    headers,
    ...(options.body !== undefined && op.method !== 'GET' && op.method !== 'DELETE'
      ? { payload: options.body }
      : {}),
  });
}

const op = () => fc.constantFrom(...operations);

describe('fuzz: the HTTP API never answers 5xx and always answers errors in the envelope', () => {
  it('auth headers on every operation', async () => {
    await fc.assert(
      fc.asyncProperty(
        op(),
        authorization,
        fc.option(headerValue, { nil: undefined }),
        async (o, auth, xToken) => {
          const res = await server.app.inject({
            method: o.method as 'GET',
            url: fill(o.path, ['0a11ce00-0000-4000-8000-0000000f00f0']),
            headers: { authorization: auth, ...(xToken === undefined ? {} : { 'x-auth-token': xToken }) },
          });
          expectContract(res, `${o.method} ${o.path} auth=${auth}`);
        },
      ),
      { numRuns: 8_000 },
    );
  }, 120_000);

  it('bodies and content types on every operation', async () => {
    await fc.assert(
      fc.asyncProperty(
        op(),
        body,
        contentType,
        fc.constantFrom(AUTH.alice, AUTH.bob, AUTH.integrator, `Bearer ${'T'}`),
        async (o, b, type, auth) => {
          const res = await hit(o, {
            auth: auth === 'Bearer T' ? `Bearer ${token}` : auth,
            params: ['0a11ce00-0000-4000-8000-0000000f00f0'],
            body: b,
            type,
          });
          expectContract(res, `${o.method} ${o.path} ${type} ${b.slice(0, 80)}`);
        },
      ),
      { numRuns: 22_000 },
    );
  }, 180_000);

  it('query strings on every operation', async () => {
    await fc.assert(
      fc.asyncProperty(
        op(),
        queryString,
        fc.constantFrom(AUTH.alice, AUTH.bob, AUTH.integrator),
        async (o, q, auth) => {
          const res = await hit(o, {
            auth,
            params: ['0a11ce00-0000-4000-8000-0000000f00f0'],
            query: q,
            body: '{}',
            type: 'application/json',
          });
          expectContract(res, `${o.method} ${o.path}?${q.slice(0, 80)}`);
        },
      ),
      { numRuns: 12_000 },
    );
  }, 120_000);

  it('path parameters on every operation', async () => {
    await fc.assert(
      fc.asyncProperty(
        op(),
        fc.array(pathParam, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(AUTH.alice, AUTH.bob, AUTH.integrator),
        async (o, params, auth) => {
          const res = await hit(o, { auth, params, body: '{}', type: 'application/json' });
          expectContract(res, `${o.method} ${fill(o.path, params).slice(0, 120)}`);
        },
      ),
      { numRuns: 8_000 },
    );
  }, 120_000);
});

const TYPES = ['auth', 'authrequest', 'subscribe', 'unsubscribe', 'reauth', 'ping', 'event', 'x'];
const frame = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc
    .record(
      {
        type: fc.constantFrom(...TYPES),
        id: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)),
        types: fc.oneof(
          fc.array(fc.constantFrom('*', 'sms.*', 'call.*', 'x', ''), { maxLength: 3 }),
          fc.string(),
        ),
        token: fc.oneof(fc.string(), fc.integer(), fc.constant('TOKEN')),
        account_id: fc.oneof(fc.uuid(), fc.string()),
        after_seq: fc.oneof(fc.integer(), fc.double(), fc.string()),
        subscription: fc.oneof(fc.uuid(), fc.string()),
      },
      { requiredKeys: ['type'] },
    )
    .map((o) => JSON.stringify(o)),
);

describe('fuzz: websocket frames on real sockets', () => {
  it('get contract-shaped replies and contract close codes, authenticated or not', async () => {
    const allowedCloses: number[] = [
      WS_CLOSE.badMessage,
      WS_CLOSE.unauthenticated,
      WS_CLOSE.forbidden,
      WS_CLOSE.tooMany,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(frame, { minLength: 1, maxLength: 6 }),
        async (authed, frames) => {
          const socket = authed ? await TestSocket.authed(server, wsToken) : await TestSocket.open(server);
          for (const f of frames) socket.send(f.replace('"TOKEN"', JSON.stringify(wsToken)));
          inputs += frames.length;
          socket.send({ type: 'ping', id: 'end' });
          const outcome = await Promise.race([
            socket.next('pong', 5000).then(() => 'open' as const),
            socket.closed.then((c) => c.code),
          ]);
          for (const reply of socket.frames) {
            expect(WsServerMessageSchema.safeParse(reply).success, JSON.stringify(reply)).toBe(true);
            expect(reply.code).not.toBe('internal');
          }
          if (outcome !== 'open') expect(allowedCloses, String(frames)).toContain(outcome);
          socket.close();
        },
      ),
      { numRuns: 700 },
    );
  }, 120_000);
});
