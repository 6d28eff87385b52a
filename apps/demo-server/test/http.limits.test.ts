import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AUTH, call } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true });
});
afterAll(async () => {
  await server.close();
});

describe('errors and limits', () => {
  it('answers an unknown route with the 404 envelope and a request id', async () => {
    const res = await call(server, 'GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, status: 404, code: 'not_found' });
    expect(res.body.request_id).toBe(res.headers['x-request-id']);
  });

  it('keeps a sane incoming X-Request-Id and replaces a weird one', async () => {
    const kept = await call(server, 'GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await call(server, 'GET', '/healthz', { headers: { 'x-request-id': 'a b <c>' } });
    expect(replaced.headers['x-request-id']).not.toBe('a b <c>');
  });

  it('refuses a body over 1 MiB with 413 payload_too_large', async () => {
    const res = await call(server, 'POST', '/rest/auth/login', {
      body: JSON.stringify({ username: 'a', password: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('refuses JSON nested deeper than 32 levels with a 400', async () => {
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    const res = await call(server, 'POST', '/rest/auth/login', { body: deep });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/nested/);
  });

  it('refuses invalid JSON with a 400 invalid_request', async () => {
    const res = await call(server, 'POST', '/rest/auth/login', { body: '{"username": ' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  });

  it('refuses prototype-poisoning keys', async () => {
    const res = await call(server, 'POST', '/rest/auth/login', { body: '{"__proto__": {"x": 1}}' });
    expect(res.status).toBe(400);
  });

  it('refuses a header line over 8 KiB with a 4xx', async () => {
    const res = await call(server, 'GET', '/rest/account', {
      auth: AUTH.alice,
      headers: { 'x-filler': 'x'.repeat(9000) },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('accepts form-encoded bodies (curl -d)', async () => {
    const res = await call(server, 'POST', '/rest/auth/login', {
      body: 'username=alice%40example.com&password=alice-pass-1&auth_only=true',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.body.payload.valid).toBe(true);
  });

  it('maps validation errors to fields keyed body.<name>, never echoing the password', async () => {
    const res = await call(server, 'POST', '/rest/auth/login', {
      body: { username: '', password: 'secret-value-123', extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(Object.keys(res.body.fields)).toEqual(expect.arrayContaining(['body.username', 'body.extra']));
    expect(res.text).not.toContain('secret-value-123');
  });

  it('refuses a wrong content type with 415', async () => {
    const res = await call(server, 'POST', '/rest/auth/login', {
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
  });

  it('answers health and readiness', async () => {
    expect((await call(server, 'GET', '/healthz')).status).toBe(200);
    const ready = await call(server, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.payload.status).toBe('ready');
  });
});

describe('OpenAPI and docs', () => {
  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const res = await call(server, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1/);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/rest/auth',
        '/rest/auth/login',
        '/rest/account',
        '/rest/accounts',
        '/rest/token',
      ]),
    );
    const login = res.body.paths['/rest/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/LoginRequest',
    });
    expect(res.body.components.schemas.LoginRequest.properties).toHaveProperty('username');
  });

  it('serves the docs UI and its assets locally (no CDN)', async () => {
    const page = await call(server, 'GET', '/docs/');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const asset = await server.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(asset.statusCode).toBe(200);
  });
});

describe('hot account reads', () => {
  it('see a balance change at once (the read cache drops on any write)', async () => {
    const { createLedger } = await import('../src/telephony/stores/ledger-store.js');
    const { areaDb } = await import('../src/db/area-db.js');
    const ledger = createLedger(Date.now);
    const before = await call(server, 'GET', '/rest/account', { auth: AUTH.alice });
    const left = await ledger.debit(areaDb(server.ctx.db), before.body.payload.uuid, 1_234_560);
    expect(left).toBeDefined();
    const after = await call(server, 'GET', '/rest/account', { auth: AUTH.alice });
    expect(after.body.payload.balance).toBeCloseTo(before.body.payload.balance - 1.23456, 5);
    await server.ctx.db.transaction().execute(async (trx) => {
      await ledger.debit(areaDb(trx), before.body.payload.uuid, 1_000_000);
    });
    const inTrx = await call(server, 'GET', '/rest/account', { auth: AUTH.alice });
    expect(inTrx.body.payload.balance).toBeCloseTo(before.body.payload.balance - 2.23456, 5);
  });
});
