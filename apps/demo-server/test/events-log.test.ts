import { EventPageSchema, EventSchema } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emit } from '../src/events/event-types.js';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './helpers/test-server.js';
import { ACME, alice, BAYSIDE, dave, emitBatches, sleep, TestSocket } from './realtime-helpers.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true });
});
afterAll(async () => {
  await server.close();
});

/** Alice's websocket, subscribed to every event of her account. */
async function aliceSubscribedToAll(): Promise<TestSocket> {
  const { token } = await alice(server);
  const socket = await TestSocket.authed(server, token);
  socket.send({ type: 'subscribe', id: 's', types: ['*'] });
  await socket.next('subscribed');
  return socket;
}

async function page(token: string, query: string) {
  const res = await server.app.inject({
    method: 'GET',
    url: `/rest/event?${query}`,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.statusCode).toBe(200);
  return EventPageSchema.parse(res.json().payload);
}

describe('the event log', () => {
  it('gives gap-free, unique seqs per account under concurrent writers', async () => {
    const events = server.ctx.services.events!;
    const before = await events.lastSeq(BAYSIDE);
    const writers = Array.from({ length: 10 }, () => emitBatches(server, BAYSIDE, 30));
    const batches = Array.from({ length: 5 }, () =>
      emitBatches(server, BAYSIDE, 20, { oneTransaction: true }),
    );
    const seqs = (await Promise.all([...writers, ...batches])).flat().sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 400 }, (_, i) => before + i + 1));
    expect(await events.lastSeq(BAYSIDE)).toBe(before + 400);
  }, 30_000);

  it('a rolled-back transaction leaves no event, no seq used and nothing published', async () => {
    const events = server.ctx.services.events!;
    const socket = await aliceSubscribedToAll();
    const before = await events.lastSeq(ACME);
    await expect(
      events.transaction(async (_trx, emit) => {
        await emitBatchesInside(emit);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await events.lastSeq(ACME)).toBe(before);
    const [seq] = await emitBatches(server, ACME, 1);
    expect(seq).toBe(before + 1);
    const [event] = await socket.events(1);
    expect(event?.seq).toBe(before + 1);
    socket.close();
  });

  it('a transaction of 100 events records every one and publishes each once, in seq order', async () => {
    const events = server.ctx.services.events!;
    const socket = await aliceSubscribedToAll();
    const before = await events.lastSeq(ACME);
    const seqs = await emitBatches(server, ACME, 100, { oneTransaction: true });
    const wanted = Array.from({ length: 100 }, (_, i) => before + i + 1);
    expect(seqs).toEqual(wanted);
    expect((await events.readAfter(ACME, before, 1000)).map((e) => e.seq)).toEqual(wanted);
    expect((await socket.events(100)).map((e) => e.seq)).toEqual(wanted);
    socket.close();
  });

  it('a transaction that fails among concurrent ones gives its seqs to the next, even on a new account', async () => {
    const events = server.ctx.services.events!;
    // An account with no event yet: the failing transaction is the first to take its seq.
    const accountId = crypto.randomUUID();
    const failing = events.transaction(async (_trx, emit) => {
      await emitBatchesFor(emit, accountId);
      throw new Error('changed my mind');
    });
    const results = await Promise.allSettled([failing, emitBatches(server, accountId, 1)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect((results[1] as PromiseFulfilledResult<number[]>).value).toEqual([1]);
    expect(await events.lastSeq(accountId)).toBe(1);
    // Two more at once: together they take 2 and 3, in whichever order the database ran them
    // (PostgreSQL's row lock decides, not the order they were started in).
    const next = await Promise.all([emitBatches(server, accountId, 1), emitBatches(server, accountId, 1)]);
    expect(next.flat().sort((a, b) => a - b)).toEqual([2, 3]);
    expect((await events.readAfter(accountId, 0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("one transaction may emit for several accounts: each account's seqs stay contiguous", async () => {
    const events = server.ctx.services.events!;
    const [a0, b0] = [await events.lastSeq(ACME), await events.lastSeq(BAYSIDE)];
    const seqs = await events.transaction(async (_trx, emit) => {
      const out: Array<[string, number]> = [];
      for (let i = 0; i < 6; i++) {
        const accountId = i % 2 === 0 ? ACME : BAYSIDE;
        const e = await emit({
          accountId,
          type: 'batch.updated',
          refId: crypto.randomUUID(),
          message: `mixed ${i}`,
          payload: {
            uuid: crypto.randomUUID(),
            state: 'created',
            total: 1,
            completed: 0,
            failed: 0,
            created_on: new Date().toISOString(),
            modified_on: new Date().toISOString(),
          },
        });
        out.push([accountId, e.seq]);
      }
      return out;
    });
    expect(seqs.filter(([a]) => a === ACME).map(([, s]) => s)).toEqual([a0 + 1, a0 + 2, a0 + 3]);
    expect(seqs.filter(([a]) => a === BAYSIDE).map(([, s]) => s)).toEqual([b0 + 1, b0 + 2, b0 + 3]);
    expect(await events.lastSeq(ACME)).toBe(a0 + 3);
    expect(await events.lastSeq(BAYSIDE)).toBe(b0 + 3);
    const [next] = await emitBatches(server, ACME, 1);
    expect(next).toBe(a0 + 4);
  });

  it('emits account.updated when the identity area signals an account change', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'subscribe', id: 'acc', types: ['account.*'] });
    await socket.next('subscribed');
    server.ctx.signals.emit('account.updated', { accountId: ACME });
    const [event] = await socket.events(1);
    expect(event).toMatchObject({ type: 'account.updated', ref_id: ACME, payload: { uuid: ACME } });
    expect(EventSchema.safeParse(event).success).toBe(true);
    socket.close();
  });

  it('refuses (under test) an event whose payload does not match the contract', async () => {
    await expect(
      server.ctx.services.events!.emit({
        accountId: ACME,
        type: 'batch.updated',
        refId: crypto.randomUUID(),
        message: 'x',
        payload: { nope: true },
      }),
    ).rejects.toThrow(/does not match the contract/);
  });
});

async function emitBatchesInside(emit: Emit) {
  await emitBatchesFor(emit, ACME);
}

async function emitBatchesFor(emit: Emit, accountId: string) {
  const uuid = crypto.randomUUID();
  const now = new Date().toISOString();
  await emit({
    accountId,
    type: 'batch.updated',
    refId: uuid,
    message: 'batch',
    payload: { uuid, state: 'created', total: 1, completed: 0, failed: 0, created_on: now, modified_on: now },
  });
}

describe('GET /rest/event', () => {
  it('pages events in seq order with has_more, filters by pattern, and every event matches EventSchema', async () => {
    const { token } = await dave(server);
    const start = await server.ctx.services.events!.lastSeq(BAYSIDE);
    await emitBatches(server, BAYSIDE, 25);
    const first = await page(token, `after_seq=${start}&take=10`);
    expect(first.data.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => start + i + 1));
    expect(first).toMatchObject({ has_more: true, recovered: true, last_seq: start + 25 });
    for (const e of first.data) expect(EventSchema.safeParse(e).success).toBe(true);
    const rest = await page(token, `after_seq=${start + 10}&take=100`);
    expect(rest.data).toHaveLength(15);
    expect(rest.has_more).toBe(false);
    const none = await page(token, `after_seq=${start}&types=${encodeURIComponent('call.*,sms.sent')}`);
    expect(none.data).toEqual([]);
    const some = await page(token, `after_seq=${start}&types=${encodeURIComponent('batch.*')}&take=5`);
    expect(some.data).toHaveLength(5);
  });

  it('event ids are UUID v7 carrying the creation millisecond of created_on', async () => {
    const { token } = await dave(server);
    const start = await server.ctx.services.events!.lastSeq(BAYSIDE);
    await emitBatches(server, BAYSIDE, 3);
    const { data } = await page(token, `after_seq=${start}&take=10`);
    expect(data).toHaveLength(3);
    for (const e of data) {
      expect(e.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const idMs = Number.parseInt(e.uuid.replace('-', '').slice(0, 12), 16);
      expect(new Date(idMs).toISOString()).toBe(e.created_on);
    }
  });

  it('answers 400 on a bad pattern and 403 for an account that is not yours', async () => {
    const { token } = await dave(server);
    const bad = await server.app.inject({
      method: 'GET',
      url: '/rest/event?types=DROP%20TABLE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.statusCode).toBe(400);
    const other = await server.app.inject({
      method: 'GET',
      url: `/rest/event?account_id=${ACME}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.statusCode).toBe(403);
  });
});

describe('lossless resume', () => {
  it('a subscriber that disconnects while 1,000 events are emitted gets each exactly once, in order', async () => {
    const { token } = await alice(server);
    const first = await TestSocket.authed(server, token);
    first.send({ type: 'subscribe', id: 'a', types: ['*'] });
    const subscribed = await first.next('subscribed');
    const base = subscribed.last_seq as number;
    const emitting = emitBatches(server, ACME, 1000);
    // Disconnect somewhere in the middle of the stream.
    const seen = await first.events(50);
    first.close();
    await first.closed;
    await sleep(20);
    const lastSeen = seen[seen.length - 1]!.seq;
    const second = await TestSocket.authed(server, token);
    second.send({ type: 'subscribe', id: 'b', types: ['*'], after_seq: lastSeen });
    const resumed = await second.next('subscribed');
    expect(resumed.recovered).toBe(true);
    await emitting;
    const rest = await second.events(base + 1000 - lastSeen, 50_000);
    const all = [...seen, ...rest].map((e) => e.seq);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => base + i + 1));
    await sleep(50);
    expect(second.frames.filter((f) => f.type === 'event')).toEqual([]);
    second.close();
  }, 60_000);

  it('answers recovered: false when the gap is older than retention', async () => {
    const { token } = await alice(server);
    const [from] = await emitBatches(server, ACME, 3);
    // Everything retained so far is gone (retention elapsed).
    await server.ctx.db.deleteFrom('event').where('account_id', '=', ACME).execute();
    await emitBatches(server, ACME, 1);
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'subscribe', id: 'old', types: ['*'], after_seq: from! - 1 });
    const subscribed = await socket.next('subscribed');
    expect(subscribed).toMatchObject({ recovered: false, last_seq: from! + 3 });
    await sleep(50);
    expect(socket.frames.filter((f) => f.type === 'event')).toEqual([]);
    const [next] = await emitBatches(server, ACME, 1);
    expect((await socket.events(1))[0]?.seq).toBe(next);
    const rest = await page(token, `after_seq=${from! - 1}`);
    expect(rest.recovered).toBe(false);
    socket.close();
  });

  it('purges events older than the retention period, keeping the seq counter', async () => {
    const events = server.ctx.services.events!;
    const before = await events.lastSeq(BAYSIDE);
    await server.ctx.db
      .updateTable('event')
      .set({ created_on: '2000-01-01T00:00:00.000Z' })
      .where('account_id', '=', BAYSIDE)
      .execute();
    expect(await events.purgeExpired()).toBeGreaterThan(0);
    expect(await events.oldestSeq(BAYSIDE)).toBeNull();
    const [next] = await emitBatches(server, BAYSIDE, 1);
    expect(next).toBe(before + 1);
  });
});

describe('account isolation', () => {
  it("an account's events never reach a socket of a user without membership in it", async () => {
    const a = await alice(server); // Acme only
    const d = await dave(server); // Bayside only
    const aliceSocket = await TestSocket.authed(server, a.token);
    const daveSocket = await TestSocket.authed(server, d.token);
    aliceSocket.send({ type: 'subscribe', id: 'x', types: ['*'] });
    daveSocket.send({ type: 'subscribe', id: 'y', types: ['*'] });
    await aliceSocket.next('subscribed');
    await daveSocket.next('subscribed');
    daveSocket.send({ type: 'subscribe', id: 'z', types: ['*'], account_id: ACME, after_seq: 0 });
    expect(await daveSocket.next('error')).toMatchObject({ id: 'z', code: 'account_forbidden' });
    await Promise.all([emitBatches(server, ACME, 20), emitBatches(server, BAYSIDE, 20)]);
    const aliceEvents = await aliceSocket.events(20);
    const daveEvents = await daveSocket.events(20);
    await sleep(50);
    expect(aliceEvents.every((e) => e.account_id === ACME)).toBe(true);
    expect(daveEvents.every((e) => e.account_id === BAYSIDE)).toBe(true);
    expect(aliceSocket.frames.filter((f) => f.type === 'event')).toEqual([]);
    expect(daveSocket.frames.filter((f) => f.type === 'event')).toEqual([]);
    aliceSocket.close();
    daveSocket.close();
  });
});
