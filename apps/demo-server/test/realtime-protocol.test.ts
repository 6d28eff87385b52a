import { WS_CLOSE, WsAuthResponseSchema, WsAuthResultSchema, WsServerMessageSchema } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_USERS } from '../src/seed/demo-identity.js';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './helpers/test-server.js';
import {
  ACME,
  alice,
  BAYSIDE,
  bob,
  dave,
  emitBatches,
  login,
  sleep,
  TestSocket,
} from './realtime-helpers.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({
    fastArgon2: true,
    realtime: { authTimeoutMs: 300, maxSubscriptionsPerConnection: 3, maxConnectionsPerUser: 3 },
  });
});
afterAll(async () => {
  await server.close();
});

describe('first-message auth', () => {
  it('accepts {type:"auth", token} and answers with the connection, user, account and expiry', async () => {
    const { token, expiresOn } = await alice(server);
    const socket = await TestSocket.open(server);
    socket.send({ type: 'auth', token });
    const reply = await socket.next('auth');
    expect(WsAuthResultSchema.parse(reply)).toBeTruthy();
    const payload = reply.payload as Record<string, Record<string, unknown>>;
    expect(reply.success).toBe(true);
    expect(payload.connection?.ip).toBe('127.0.0.1');
    expect(payload.user?.email).toBe('alice@example.com');
    expect(payload.account?.uuid).toBe(ACME);
    expect(reply.payload).toMatchObject({ expires_on: expiresOn });
    socket.close();
  });

  it('accepts the {type:"auth", payload: token} auth dialect', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.open(server);
    socket.send({ type: 'auth', payload: token });
    expect(await socket.next('auth')).toMatchObject({ success: true });
    socket.close();
  });

  it('answers the {type:"authrequest"} dialect with authresponse', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.open(server);
    socket.send({ type: 'authrequest', token });
    const reply = await socket.next('authresponse');
    expect(WsAuthResponseSchema.parse(reply)).toMatchObject({ success: true });
    socket.close();
  });

  it('refuses an unknown token with auth success:false, then closes 4401', async () => {
    const socket = await TestSocket.open(server);
    socket.send({ type: 'auth', token: 'cws_not-a-real-token' });
    expect(await socket.next('auth')).toMatchObject({ success: false, code: 'invalid_token' });
    expect((await socket.closed).code).toBe(WS_CLOSE.unauthenticated);
  });

  it('refuses Basic credentials with a message that says to use a token', async () => {
    for (const frame of [
      { type: 'auth', token: 'alice@example.com:alice-pass-1' },
      { type: 'auth', token: `Basic ${Buffer.from('alice@example.com:alice-pass-1').toString('base64')}` },
      { type: 'auth', username: 'alice@example.com', password: 'alice-pass-1' },
    ]) {
      const socket = await TestSocket.open(server);
      socket.send(frame);
      const reply = await socket.next('auth');
      expect(reply).toMatchObject({ success: false, code: 'invalid_request' });
      expect(String(reply.message)).toMatch(/token/);
      expect((await socket.closed).code).toBe(WS_CLOSE.unauthenticated);
    }
  });

  it('closes 4408 when no auth arrives in time', async () => {
    const socket = await TestSocket.open(server);
    expect(await socket.next('auth')).toMatchObject({ success: false, code: 'auth_timeout' });
    expect((await socket.closed).code).toBe(WS_CLOSE.authTimeout);
  });

  it('closes 4401 when the first message is not auth', async () => {
    const socket = await TestSocket.open(server);
    socket.send({ type: 'subscribe', id: 'c1', types: ['*'] });
    expect(await socket.next('error')).toMatchObject({ code: 'unauthenticated' });
    expect((await socket.closed).code).toBe(WS_CLOSE.unauthenticated);
  });

  it('refuses tokens in the URL with 400 before the upgrade', async () => {
    const { token } = await alice(server);
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws?token=${token}`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(400);
  });

  it('answers a plain GET /ws with 426', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/ws' });
    expect(res.statusCode).toBe(426);
    expect(res.json()).toMatchObject({ success: false, code: 'invalid_request' });
  });
});

describe('bad frames', () => {
  const cases: Array<[string, string | Buffer]> = [
    ['invalid JSON', '{"type": "ping"'],
    ['a JSON array', '[1,2]'],
    ['an unknown type', JSON.stringify({ type: 'hello' })],
    ['a binary frame', Buffer.from('{"type":"ping"}')],
    ['a message over 64 KiB', JSON.stringify({ type: 'ping', id: 'x'.repeat(70 * 1024) })],
  ];
  for (const [name, frame] of cases) {
    it(`closes 4400 on ${name}, after an error frame`, async () => {
      const { token } = await alice(server);
      const socket = await TestSocket.authed(server, token);
      socket.ws.send(frame);
      const error = await socket.next('error');
      expect(WsServerMessageSchema.safeParse(error).success).toBe(true);
      expect((await socket.closed).code).toBe(WS_CLOSE.badMessage);
    });
  }

  it('answers a malformed known message with an error frame carrying its id, and stays open', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'subscribe', id: 'bad', types: ['not a pattern!'] });
    expect(await socket.next('error')).toMatchObject({ id: 'bad', code: 'validation_failed' });
    socket.send({ type: 'ping', id: 'p1' });
    expect(await socket.next('pong')).toEqual({ type: 'pong', id: 'p1' });
    socket.close();
  });
});

describe('subscriptions', () => {
  it('subscribes, receives matching events only, unsubscribes', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'subscribe', id: 'c1', types: ['batch.*'] });
    const subscribed = await socket.next('subscribed');
    expect(subscribed).toMatchObject({ id: 'c1', account_id: ACME, recovered: true });
    expect(WsServerMessageSchema.safeParse(subscribed).success).toBe(true);
    const [seq] = await emitBatches(server, ACME, 1);
    await emitBatches(server, ACME, 1, { type: 'account.updated' }).catch(() => undefined);
    const [event] = await socket.events(1);
    expect(event).toMatchObject({ seq, type: 'batch.updated', account_id: ACME });
    socket.send({ type: 'unsubscribe', id: 'u1', subscription: subscribed.subscription });
    expect(await socket.next('unsubscribed')).toEqual({
      type: 'unsubscribed',
      id: 'u1',
      subscription: subscribed.subscription,
    });
    await emitBatches(server, ACME, 1);
    await sleep(100);
    expect(socket.frames.filter((f) => f.type === 'event')).toEqual([]);
    socket.send({ type: 'unsubscribe', id: 'u2', subscription: subscribed.subscription });
    expect(await socket.next('error')).toMatchObject({ id: 'u2', code: 'not_found' });
    socket.close();
  });

  it('delivers the events of one commit as one text message each, in seq order', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    const binary: boolean[] = [];
    socket.ws.on('message', (_data, isBinary) => binary.push(isBinary));
    socket.send({ type: 'subscribe', id: 'c1', types: ['batch.*'] });
    await socket.next('subscribed');
    const seqs = await emitBatches(server, ACME, 40, { oneTransaction: true });
    const events = await socket.events(40);
    expect(events.map((e) => e.seq)).toEqual(seqs);
    expect(events.every((e) => e.type === 'batch.updated' && e.account_id === ACME)).toBe(true);
    expect(binary.filter(Boolean)).toEqual([]);
    socket.close();
  });

  it('refuses an account the user is not a member of (account_forbidden), and keeps the socket', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'subscribe', id: 'x', types: ['*'], account_id: BAYSIDE });
    expect(await socket.next('error')).toMatchObject({ id: 'x', code: 'account_forbidden' });
    socket.send({ type: 'ping' });
    expect(await socket.next('pong')).toEqual({ type: 'pong' });
    socket.close();
  });

  it('a token bound to one account cannot read another account of the same user', async () => {
    const { token } = await bob(server, BAYSIDE);
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'subscribe', id: 'a', types: ['*'], account_id: ACME });
    expect(await socket.next('error')).toMatchObject({ id: 'a', code: 'account_forbidden' });
    socket.send({ type: 'subscribe', id: 'b', types: ['*'], account_id: BAYSIDE });
    expect(await socket.next('subscribed')).toMatchObject({ id: 'b', account_id: BAYSIDE });
    socket.close();
  });

  it('limits subscriptions per connection', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    for (let i = 0; i < 3; i++) {
      socket.send({ type: 'subscribe', id: `s${i}`, types: ['*'] });
      await socket.next('subscribed');
    }
    socket.send({ type: 'subscribe', id: 's3', types: ['*'] });
    expect(await socket.next('error')).toMatchObject({ id: 's3', code: 'too_many_subscriptions' });
    socket.close();
  });
});

describe('connections per user', () => {
  it('refuses the connection over the limit with 4429', async () => {
    const { token } = await dave(server);
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await TestSocket.authed(server, token));
    const extra = await TestSocket.open(server);
    extra.send({ type: 'auth', token });
    expect(await extra.next('auth')).toMatchObject({ success: false, code: 'too_many_connections' });
    expect((await extra.closed).code).toBe(WS_CLOSE.tooMany);
    open[0]!.close();
    await open[0]!.closed;
    await sleep(20);
    const again = await TestSocket.authed(server, token);
    for (const s of [...open.slice(1), again]) s.close();
  });
});

describe('reauth', () => {
  it('swaps the token of the same user and reports the new expiry', async () => {
    const first = await alice(server);
    const socket = await TestSocket.authed(server, first.token);
    const second = await alice(server);
    socket.send({ type: 'reauth', token: second.token });
    expect(await socket.next('reauth')).toEqual({
      type: 'reauth',
      success: true,
      expires_on: second.expiresOn,
    });
    socket.close();
  });

  it("refuses a bad token or another user's token, and keeps the socket", async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'reauth', token: 'cws_nope' });
    expect(await socket.next('reauth')).toMatchObject({ success: false, code: 'invalid_token' });
    socket.send({ type: 'reauth', token: (await dave(server)).token });
    expect(await socket.next('reauth')).toMatchObject({ success: false, code: 'forbidden' });
    socket.send({ type: 'ping' });
    await socket.next('pong');
    socket.close();
  });
});

describe('revocation', () => {
  it('logout closes the sockets of that session with 4401 within a second', async () => {
    const { token } = await alice(server);
    const other = await alice(server);
    const socket = await TestSocket.authed(server, token);
    const bystander = await TestSocket.authed(server, other.token);
    const started = Date.now();
    const res = await server.app.inject({
      method: 'POST',
      url: '/rest/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(204);
    expect(await socket.next('error')).toMatchObject({ code: 'token_revoked' });
    expect((await socket.closed).code).toBe(WS_CLOSE.unauthenticated);
    expect(Date.now() - started).toBeLessThan(1000);
    bystander.send({ type: 'ping' });
    expect(await bystander.next('pong')).toEqual({ type: 'pong' });
    bystander.close();
  });

  it("turning API access off closes the user's sockets with 4403", async () => {
    const { token } = await bob(server, ACME);
    const socket = await TestSocket.authed(server, token);
    const admin = await alice(server);
    const res = await server.app.inject({
      method: 'PATCH',
      url: `/rest/account/user/${DEMO_USERS.bob.uuid}`,
      headers: { authorization: `Bearer ${admin.token}` },
      payload: { api_access: false },
    });
    expect(res.statusCode).toBe(200);
    expect(await socket.next('error')).toMatchObject({ code: 'api_access_disabled' });
    expect((await socket.closed).code).toBe(WS_CLOSE.forbidden);
    await server.app.inject({
      method: 'PATCH',
      url: `/rest/account/user/${DEMO_USERS.bob.uuid}`,
      headers: { authorization: `Bearer ${admin.token}` },
      payload: { api_access: true },
    });
  });
});

describe('presence', () => {
  it('GET /rest/auth says wss_online while the user has an authenticated socket', async () => {
    const { token } = await dave(server);
    const online = async () => {
      const res = await server.app.inject({
        method: 'GET',
        url: '/rest/auth',
        headers: { authorization: `Bearer ${token}` },
      });
      return res.json().payload.wss_online as boolean;
    };
    expect(await online()).toBe(false);
    const socket = await TestSocket.authed(server, token);
    expect(await online()).toBe(true);
    socket.close();
    await socket.closed;
    await sleep(20);
    expect(await online()).toBe(false);
  });
});

describe('app-level ping', () => {
  it('answers {type:"ping"} with {type:"pong"}', async () => {
    const { token } = await login(server, 'alice@example.com', 'alice-pass-1');
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'ping', id: 'hb' });
    expect(await socket.next('pong')).toEqual({ type: 'pong', id: 'hb' });
    socket.close();
  });
});
