import { ErrorEnvelopeSchema, successEnvelope } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AREAS, type Area } from '../src/areas.js';
import { OPERATIONS } from '../src/http/openapi/operations.js';
import type { RunningServer } from '../src/server.js';
import { AUTH } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { headers?: Record<string, unknown>; content?: unknown }>;
  security?: unknown[];
  tags?: string[];
}
interface Doc {
  servers: unknown[];
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown> }>;
    securitySchemes: Record<string, { type: string; in?: string; name?: string }>;
    responses: Record<string, { headers?: Record<string, unknown>; content?: unknown }>;
  };
}

/** A route whose answer its schema leaves out, as a careless change would. */
const teapotArea: Area = {
  name: 'teapot',
  async routes(fastify) {
    // Plain Fastify types: the zod provider would (rightly) refuse the undeclared status at compile time.
    fastify.get<{ Querystring: { brew?: 'yes' | 'no' } }>(
      '/rest/teapot',
      {
        config: { scoped: true },
        schema: {
          operationId: 'getTeapot',
          summary: 'Tea',
          querystring: z.strictObject({ brew: z.enum(['yes', 'no']).optional() }),
          response: { 200: successEnvelope(z.object({ tea: z.string() })), 404: ErrorEnvelopeSchema },
        },
      },
      async (request, reply) => {
        const status = request.query.brew === 'yes' ? 418 : 200;
        return reply.code(status).send({ success: true, payload: { tea: 'green' } });
      },
    );
  },
};

describe('the OpenAPI document', () => {
  let server: RunningServer;
  let text: string;
  let doc: Doc;
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        op,
      })),
    );

  beforeAll(async () => {
    server = await startTestServer({ fastArgon2: true, areas: [...AREAS, teapotArea] });
    const res = await server.app.inject({ method: 'GET', url: '/openapi.json' });
    text = res.body;
    if (res.statusCode !== 200) console.log(text);
    doc = JSON.parse(text) as Doc;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses to send a status its operation does not declare: the answer becomes a 500 naming both', async () => {
    const fine = await server.app.inject({
      method: 'GET',
      url: '/rest/teapot',
      headers: { authorization: AUTH.alice },
    });
    expect(fine.statusCode).toBe(200);
    const undeclared = await server.app.inject({
      method: 'GET',
      url: '/rest/teapot?brew=yes',
      headers: { authorization: AUTH.alice },
    });
    expect(undeclared.statusCode).toBe(500);
    expect(undeclared.json()).toMatchObject({
      success: false,
      code: 'internal',
      message: 'GET /rest/teapot answered 418, which its OpenAPI operation does not declare',
    });
  });

  it('is the same, byte for byte, on every start', async () => {
    const again = await startTestServer({ fastArgon2: true, areas: [...AREAS, teapotArea] });
    try {
      const res = await again.app.inject({ method: 'GET', url: '/openapi.json' });
      expect(res.body).toBe(text);
    } finally {
      await again.close();
    }
  });

  it('gives every operation a unique readable operationId and a summary', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operations().filter(({ op }) => !op.summary)).toEqual([]);
    expect(doc.paths['/rest/sms']?.post?.operationId).toBe('sendSms');
    // Every route of the server is named on purpose, in the table: the only other one is the test's own.
    const named = new Set(Object.values(OPERATIONS).map(([id]) => id));
    expect(ids.filter((id) => !named.has(id as string))).toEqual(['getTeapot']);
    expect(ids.length).toBe(named.size + 1);
  });

  it('declares the errors the HTTP layer can answer on every operation, each with the error envelope', () => {
    for (const { key, path, method, op } of operations()) {
      const statuses = Object.keys(op.responses);
      expect(statuses, key).toEqual(
        expect.arrayContaining(['400', '413', '414', '415', '429', '431', '500']),
      );
      if (method === 'post') expect(statuses, key).toContain('409');
      if (path.includes('{')) expect(statuses, key).toContain('404');
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const ref = (op.responses[status] as { $ref?: string }).$ref ?? '';
        const shared = doc.components.responses[ref.replace('#/components/responses/', '')];
        expect(shared?.content, `${key} ${status}`).toEqual({
          'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } },
        });
        expect(shared?.headers, `${key} ${status}`).toHaveProperty('X-Request-Id');
        if (status === '429') expect(shared?.headers, key).toHaveProperty('Retry-After');
        if (status === '401') expect(shared?.headers, key).toHaveProperty('WWW-Authenticate');
      }
    }
  });

  it('lets every account-scoped operation name its account by query, header and body', () => {
    const scoped = operations().filter(({ op }) =>
      op.parameters?.some((p) => p.$ref === '#/components/parameters/AccountIdHeader'),
    );
    expect(scoped.length).toBeGreaterThan(60);
    for (const { key, op } of scoped) {
      expect(op.parameters, key).toContainEqual({ $ref: '#/components/parameters/AccountIdQuery' });
      expect(
        op.responses['200'] ?? op.responses['201'] ?? op.responses['202'] ?? op.responses['204'],
        key,
      ).toMatchObject({
        headers: { 'X-Account-Id': { $ref: '#/components/headers/AccountId' } },
      });
      const body = op.requestBody?.content['application/json']?.schema;
      if (body === undefined) continue;
      const shape =
        typeof body.$ref === 'string' ? doc.components.schemas[body.$ref.split('/').pop() as string] : body;
      expect(shape?.properties, key).toHaveProperty('account_id');
    }
    const login = doc.paths['/rest/auth/login']?.post;
    expect(login?.security).toEqual([]);
  });

  it('takes Idempotency-Key on every POST, and JSON or form bodies; the logout body is optional', () => {
    for (const { key, method, op } of operations()) {
      if (method === 'post')
        expect(op.parameters, key).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
      if (op.requestBody) {
        expect(Object.keys(op.requestBody.content), key).toEqual([
          'application/json',
          'application/x-www-form-urlencoded',
        ]);
      }
    }
    expect(doc.paths['/rest/auth/logout']?.post?.requestBody?.required).toBe(false);
    expect(doc.paths['/rest/sms']?.post?.requestBody?.required).toBe(true);
  });

  it('names the shapes as components and refers to them', () => {
    expect(doc.paths['/rest/sms']?.post?.requestBody?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/SendSmsRequest',
    });
    for (const name of ['Sms', 'Call', 'Lease', 'Session', 'Event', 'ErrorEnvelope', 'Account']) {
      expect(doc.components.schemas, name).toHaveProperty(name);
    }
    // Every component is used, and every reference resolves.
    const refs = new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? ''));
    expect([...refs].filter((r) => !(r in doc.components.schemas))).toEqual([]);
    expect(Object.keys(doc.components.schemas).filter((name) => !refs.has(name))).toEqual([]);
  });

  it('declares Integrator credentials as an Authorization API key, which gateways and generators accept', () => {
    expect(doc.components.securitySchemes.integrator).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
    });
    for (const scheme of Object.values(doc.components.securitySchemes)) {
      if (scheme.type === 'http')
        expect(['basic', 'bearer']).toContain((scheme as { scheme?: string }).scheme);
    }
    expect(doc.servers.length).toBeGreaterThan(0);
    const described = new Set(doc.tags.map((t) => t.name));
    expect(
      operations()
        .flatMap(({ op }) => op.tags ?? [])
        .filter((t) => !described.has(t)),
    ).toEqual([]);
  });

  it('describes the signed webhooks and the websocket protocol, in words for users', () => {
    expect(Object.keys(doc.webhooks)).toEqual(['eventDelivery', 'smsStatusCallback']);
    for (const hook of Object.values(doc.webhooks)) {
      expect(hook.post.parameters?.map((p) => p.name)).toContain('Callwire-Signature');
      expect(hook.post.requestBody?.content['application/json']?.schema).toEqual({
        $ref: '#/components/schemas/Event',
      });
    }
    expect(text).toContain('{\\"type\\": \\"subscribe\\"');
    expect(text).not.toMatch(/seed|CONTRACT|§/);
  });
});
