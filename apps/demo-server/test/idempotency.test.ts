import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Area } from '../src/areas.js';
import { accountOf } from '../src/http/request-context.js';
import { identityArea } from '../src/identity/area.js';
import type { RunningServer } from '../src/server.js';
import { ACME, AUTH, BAYSIDE, call } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

let executions = 0;
const slowRoutes: FastifyPluginAsync = async (app) => {
  app.post('/rest/probe/create', { config: { access: 'manager' } }, async (request, reply) => {
    executions++;
    await new Promise((r) => setTimeout(r, 30));
    return reply
      .code(201)
      .send({ success: true, payload: { n: executions, account: accountOf(request).id } });
  });
};
const probeArea: Area = { name: 'probe', routes: slowRoutes };

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true, areas: [identityArea, probeArea] });
});
afterAll(async () => {
  await server.close();
});

const post = (key: string, body: unknown, auth = AUTH.alice) =>
  call(server, 'POST', '/rest/probe/create', { auth, body, headers: { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  it('replays the first response (status, body, X-Account-Id) with Idempotent-Replayed: true', async () => {
    const first = await post('k-1', { a: 1 });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('k-1', { a: 1 });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['x-account-id']).toBe(ACME);
    expect(again.headers['content-type']).toContain('application/json');
  });

  it('answers the same key with a different body with 409 idempotency_conflict', async () => {
    await post('k-2', { a: 1 });
    const res = await post('k-2', { a: 2 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('idempotency_conflict');
  });

  it('keeps keys apart per principal', async () => {
    const a = await post('k-3', {});
    const b = await post('k-3', {}, AUTH.dave.replace('dave', 'dave'));
    expect(b.status).toBe(403); // dave is a viewer: his own request ran, not a replay of alice's
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(a.status).toBe(201);
  });

  it('treats the same body under another account as a different request', async () => {
    const a = await call(server, 'POST', `/rest/probe/create?account_id=${ACME}`, {
      auth: AUTH.bob,
      body: {},
      headers: { 'idempotency-key': 'k-4' },
    });
    const b = await call(server, 'POST', `/rest/probe/create?account_id=${BAYSIDE}`, {
      auth: AUTH.bob,
      body: {},
      headers: { 'idempotency-key': 'k-4' },
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(409);
  });

  it('runs concurrent requests with the same key once; the others replay', async () => {
    const before = executions;
    const results = await Promise.all(Array.from({ length: 5 }, () => post('k-5', { c: 1 })));
    expect(executions - before).toBe(1);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
  });

  it('refuses a key longer than 255 characters', async () => {
    const res = await post('x'.repeat(256), {});
    expect(res.status).toBe(400);
    expect(res.body.fields['header.idempotency-key']).toBeDefined();
  });

  it('forgets records after 24 h', async () => {
    let now = Date.now();
    const clocked = await startTestServer({
      fastArgon2: true,
      clock: { now: () => now },
      areas: [identityArea, probeArea],
    });
    try {
      const first = await call(clocked, 'POST', '/rest/probe/create', {
        auth: AUTH.alice,
        body: {},
        headers: { 'idempotency-key': 'old' },
      });
      now += 24 * 3600 * 1000 + 1;
      const later = await call(clocked, 'POST', '/rest/probe/create', {
        auth: AUTH.alice,
        body: { other: true },
        headers: { 'idempotency-key': 'old' },
      });
      expect(first.status).toBe(201);
      expect(later.status).toBe(201);
      expect(later.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      await clocked.close();
    }
  });
});
