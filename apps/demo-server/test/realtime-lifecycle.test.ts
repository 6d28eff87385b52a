import { createHook } from 'node:async_hooks';
import { WS_CLOSE } from '@callwire/types';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelName } from '../src/events/pg-channel.js';
import { DEMO_USERS } from '../src/seed/demo-identity.js';
import type { RunningServer } from '../src/server.js';
import { dropSchema, startTestServer, TEST_DATABASE_URL } from './helpers/test-server.js';
import { ACME, alice, BAYSIDE, bob, emitBatches, sleep, TestSocket } from './realtime-helpers.js';

describe('heartbeat', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({
      fastArgon2: true,
      realtime: { pingIntervalMs: 50, idleTimeoutMs: 250 },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('pings a live client, which stays connected', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    let pings = 0;
    socket.ws.on('ping', () => pings++);
    await sleep(600);
    expect(pings).toBeGreaterThanOrEqual(3);
    socket.send({ type: 'ping' });
    expect(await socket.next('pong')).toEqual({ type: 'pong' });
    socket.close();
  });

  it('drops a connection that stays silent (no pong, no message) past the idle timeout', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.open(server, { autoPong: false });
    const started = Date.now();
    socket.send({ type: 'auth', token });
    const { code } = await socket.closed;
    expect(code).toBe(1006); // terminated: no close handshake with a dead peer
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('token expiry', () => {
  let server: RunningServer;
  let offset = 0;
  beforeAll(async () => {
    server = await startTestServer({
      fastArgon2: true,
      tokenLifetime: 60,
      clock: { now: () => Date.now() + offset },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends token_expiring 60 s before expiry and closes 4401 at expiry', async () => {
    offset = 0;
    const { token, expiresOn } = await alice(server);
    offset = 59_400; // 600 ms of the token's 60 s left
    const socket = await TestSocket.authed(server, token);
    expect(await socket.next('token_expiring')).toEqual({ type: 'token_expiring', expires_on: expiresOn });
    expect(await socket.next('error')).toMatchObject({ code: 'token_expired' });
    expect((await socket.closed).code).toBe(WS_CLOSE.unauthenticated);
  });

  it('reauth before expiry keeps the socket open', async () => {
    offset = 0;
    const { token } = await alice(server);
    offset = 59_400;
    const socket = await TestSocket.authed(server, token);
    await socket.next('token_expiring');
    const fresh = await alice(server);
    socket.send({ type: 'reauth', token: fresh.token });
    expect(await socket.next('reauth')).toMatchObject({ success: true, expires_on: fresh.expiresOn });
    await sleep(900);
    socket.send({ type: 'ping' });
    expect(await socket.next('pong')).toEqual({ type: 'pong' });
    socket.close();
  });
});

describe('subscriptions made over REST and membership changes', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ fastArgon2: true });
  });
  afterAll(async () => {
    await server.close();
  });

  it('an active wss subscription applies to every socket of its user, until it is switched off', async () => {
    const { token } = await alice(server);
    const before = await TestSocket.authed(server, token);
    const res = await server.app.inject({
      method: 'POST',
      url: '/rest/event/subscription',
      headers: { authorization: `Bearer ${token}` },
      payload: { channel: 'wss', types: ['batch.*'] },
    });
    expect(res.statusCode).toBe(201);
    const uuid = res.json().payload.uuid as string;
    const after = await TestSocket.authed(server, token);
    const [seq] = await emitBatches(server, ACME, 1);
    for (const socket of [before, after]) {
      const frame = await socket.next('event');
      expect(frame).toMatchObject({ subscription: uuid, event: { seq } });
    }
    after.send({ type: 'unsubscribe', id: 'u', subscription: uuid });
    expect(await after.next('error')).toMatchObject({ id: 'u', code: 'conflict' });
    const off = await server.app.inject({
      method: 'PATCH',
      url: `/rest/event/subscription/${uuid}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { is_active: false },
    });
    expect(off.statusCode).toBe(200);
    await emitBatches(server, ACME, 1);
    await sleep(100);
    expect([...before.frames, ...after.frames].filter((f) => f.type === 'event')).toEqual([]);
    before.close();
    after.close();
  });

  it('applies to sockets bound to another account of the user, and stops at expired_on', async () => {
    const acmeSession = await bob(server, ACME);
    const socket = await TestSocket.authed(server, (await bob(server, BAYSIDE)).token);
    const res = await server.app.inject({
      method: 'POST',
      url: '/rest/event/subscription',
      headers: { authorization: `Bearer ${acmeSession.token}` },
      payload: { channel: 'wss', types: ['*'], expired_on: new Date(Date.now() + 1500).toISOString() },
    });
    expect(res.statusCode).toBe(201);
    const [seq] = await emitBatches(server, ACME, 1);
    expect(await socket.next('event')).toMatchObject({
      subscription: res.json().payload.uuid,
      event: { seq },
    });
    await sleep(1600);
    await emitBatches(server, ACME, 1);
    await sleep(100);
    expect(socket.frames.filter((f) => f.type === 'event')).toEqual([]);
    socket.close();
  });

  it('removing a membership ends the subscriptions on that account', async () => {
    const b = await bob(server, ACME);
    const socket = await TestSocket.authed(server, b.token);
    socket.send({ type: 'subscribe', id: 's', types: ['*'] });
    const subscribed = await socket.next('subscribed');
    const admin = await alice(server);
    const res = await server.app.inject({
      method: 'DELETE',
      url: `/rest/account/user/${DEMO_USERS.bob.uuid}`,
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.statusCode).toBe(204);
    // Either the token is refused outright (4401/4403) or its Acme subscription ends.
    const frame = await socket.next();
    if (frame.type === 'unsubscribed') {
      expect(frame.subscription).toBe(subscribed.subscription);
    } else {
      expect(frame.type).toBe('error');
      expect([WS_CLOSE.unauthenticated, WS_CLOSE.forbidden]).toContain((await socket.closed).code);
    }
    await emitBatches(server, ACME, 3);
    await sleep(100);
    expect(socket.frames.filter((f) => f.type === 'event')).toEqual([]);
    socket.close();
  });
});

describe('slow consumers', () => {
  it('a socket that stops reading is closed 4429 instead of buffering without bound', async () => {
    const server = await startTestServer({ fastArgon2: true, realtime: { maxBufferedBytes: 64 * 1024 } });
    try {
      const { token } = await alice(server);
      const socket = await TestSocket.authed(server, token);
      socket.send({ type: 'subscribe', id: 's', types: ['*'] });
      await socket.next('subscribed');
      socket.ws.pause();
      // Far more than the kernel's loopback buffers hold, so the server's own buffer must grow.
      for (let i = 0; i < 10; i++) await emitBatches(server, ACME, 1000, { oneTransaction: true });
      await sleep(100);
      expect(server.ctx.services.realtime!.size).toBe(0);
      socket.ws.terminate();
    } finally {
      await server.close();
    }
  }, 30_000);
});

describe('graceful shutdown', () => {
  it('flushes what was sent, then closes every socket with 1001', async () => {
    const server = await startTestServer({ fastArgon2: true });
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'subscribe', id: 's', types: ['*'] });
    await socket.next('subscribed');
    await emitBatches(server, ACME, 200, { oneTransaction: true });
    await server.close();
    const { code } = await socket.closed;
    expect(code).toBe(WS_CLOSE.goingAway);
    expect(socket.frames.filter((f) => f.type === 'event')).toHaveLength(200);
  });

  it('leaves no timer running once its sockets closed, so the process can exit at once', async () => {
    const server = await startTestServer({ fastArgon2: true });
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    // Timers started from now on that neither fired nor were cleared.
    const running = new Set<number>();
    const hook = createHook({
      init: (id, type) => {
        if (type === 'Timeout') running.add(id);
      },
      destroy: (id) => running.delete(id),
    }).enable();
    try {
      await server.close();
      expect((await socket.closed).code).toBe(WS_CLOSE.goingAway);
      // Destroy hooks are reported on a later turn of the event loop.
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(running.size).toBe(0);
    } finally {
      hook.disable();
    }
  });
});

describe.skipIf(TEST_DATABASE_URL === undefined)('several instances on one PostgreSQL database', () => {
  it('an event emitted on one instance reaches sockets of another, in order; revocation too', async () => {
    const schema = `t_multi_${Date.now().toString(36)}`;
    const a = await startTestServer({ fastArgon2: true, databaseSchema: schema });
    const b = await startTestServer({ fastArgon2: true, databaseSchema: schema, seed: false });
    try {
      const { token } = await bob(a, BAYSIDE);
      const socket = await TestSocket.authed(b, token);
      socket.send({ type: 'subscribe', id: 's', types: ['*'] });
      const subscribed = await socket.next('subscribed');
      const seqs = await emitBatches(a, BAYSIDE, 50);
      const events = await socket.events(50);
      expect(events.map((e) => e.seq)).toEqual(seqs);
      expect(seqs[0]).toBe((subscribed.last_seq as number) + 1);
      const res = await a.app.inject({
        method: 'POST',
        url: '/rest/auth/logout',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(204);
      expect((await socket.closed).code).toBe(WS_CLOSE.unauthenticated);
    } finally {
      await b.close();
      await a.close();
      await dropSchema(schema);
    }
  }, 30_000);

  it('events committed while the listening connection was down are caught up after it reconnects', async () => {
    const schema = `t_relisten_${Date.now().toString(36)}`;
    const server = await startTestServer({ fastArgon2: true, databaseSchema: schema });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const { token } = await bob(server, BAYSIDE);
      const socket = await TestSocket.authed(server, token);
      socket.send({ type: 'subscribe', id: 's', types: ['*'] });
      await socket.next('subscribed');
      const [first] = await emitBatches(server, BAYSIDE, 1);
      expect((await socket.events(1))[0]?.seq).toBe(first);
      // Cut this server's LISTEN connection (its channel is named after the schema).
      const killed = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = $1',
        [`LISTEN ${channelName(schema)}`],
      );
      expect(killed.rowCount).toBe(1);
      // One transaction, right away: nothing is committed after the reconnect to reveal the gap,
      // so only the catch-up can deliver these.
      const seqs = await emitBatches(server, BAYSIDE, 20, { oneTransaction: true });
      const events = await socket.events(20, 10_000);
      expect(events.map((e) => e.seq)).toEqual(seqs);
      socket.close();
    } finally {
      await admin.end();
      await server.close();
      await dropSchema(schema);
    }
  }, 30_000);
});
