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

const SEARCHES = ['/rest/sms/search', '/rest/call/search', '/rest/order/search', '/rest/lease/tn/search'];

describe('request bodies as other tools send them', () => {
  it('a search POSTed with no body at all (curl -X POST) lists without filters', async () => {
    for (const url of SEARCHES) {
      const res = await server.app.inject({ method: 'POST', url, headers: { authorization: AUTH.alice } });
      expect(res.statusCode, url).toBe(200);
      const filtered = await call(server, 'POST', url, { auth: AUTH.alice, body: {} });
      expect(JSON.parse(res.body).payload.total).toBe(filtered.body.payload.total);
    }
  });

  it('a search with Content-Type: application/json and an empty body lists without filters', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/rest/sms/search',
      headers: { authorization: AUTH.alice, 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(200);
  });

  it('a route whose body has required fields still names them when the body is missing', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/rest/auth/login' });
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.code).toBe('validation_failed');
    expect(Object.keys(body.fields)).toEqual(expect.arrayContaining(['body.username', 'body.password']));
  });

  it('a JSON body that starts with a UTF-8 byte-order mark is parsed', async () => {
    const json = JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1', auth_only: true });
    const res = await server.app.inject({
      method: 'POST',
      url: '/rest/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]),
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).payload.valid).toBe(true);
  });

  it('a search body with a byte-order mark applies its filters', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/rest/sms/search',
      headers: { authorization: AUTH.alice, 'content-type': 'application/json; charset=utf-8' },
      payload: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"direction":"sideways"}')]),
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(JSON.parse(res.body).fields)).toEqual(['body.direction']);
  });

  it('a form body that starts with a byte-order mark is parsed', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/rest/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('username=alice%40example.com&password=alice-pass-1&auth_only=true'),
      ]),
    });
    expect(res.statusCode).toBe(200);
  });

  it('the NUL character is refused in paths, queries, JSON and form bodies, the same on both databases', async () => {
    const answers = [
      await server.app.inject({
        method: 'GET',
        url: '/rest/sip/domain/%00',
        headers: { authorization: AUTH.alice },
      }),
      await server.app.inject({
        method: 'GET',
        url: '/rest/event?types=%00',
        headers: { authorization: AUTH.alice },
      }),
      await server.app.inject({
        method: 'POST',
        url: '/rest/profile/messaging',
        headers: { authorization: AUTH.alice, 'content-type': 'application/json' },
        payload: '{"name":"a\\u0000b"}',
      }),
      await server.app.inject({
        method: 'POST',
        url: '/rest/profile/messaging',
        headers: { authorization: AUTH.alice, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=a%00b',
      }),
    ];
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        code: 'invalid_request',
        message: expect.stringMatching(/NUL/),
      });
    }
    const escaped = await call(server, 'POST', '/rest/profile/messaging', {
      auth: AUTH.alice,
      body: '{"name":"backslash \\\\u0000 is just text"}',
    });
    expect(escaped.status).toBe(201);
  });
});
