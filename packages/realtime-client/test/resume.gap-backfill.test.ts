import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GapNotice } from '../src/index.js';
import { callEvent } from './helpers/fixtures.js';
import { ScriptedServer, until } from './helpers/scripted-server.js';
import { type Harness, makeClient } from './helpers/setup.js';

let server: ScriptedServer;
let h: Harness | undefined;

beforeEach(async () => {
  server = await ScriptedServer.start();
});
afterEach(async () => {
  h?.client.dispose();
  await server.stop();
});

describe('gaps', () => {
  it('on recovered: false emits a typed gap, backfills over REST and merges with live events by seq', async () => {
    h = makeClient(server);
    const seen: number[] = [];
    const gaps: GapNotice[] = [];
    h.client.onGap((gap) => gaps.push(gap));
    h.client.on('*', async (e) => {
      seen.push(e.seq);
    });
    await h.client.subscribe(['call.*']).ready;
    server.publish(5);
    await until(() => seen.length === 5, 'first five');
    server.dropAll();
    server.publish(2500); // too many to replay over the socket…
    server.socketOldest = 2000; // …the socket can only replay from 2000
    // Live events keep coming while the client backfills.
    const reconnected = server.nextConnection();
    await reconnected;
    await until(() => server.frames('subscribe').length === 2, 'resubscribe');
    server.publish(20);
    await until(() => seen.length === 2525, 'every event', 10_000);
    expect(seen).toEqual(Array.from({ length: 2525 }, (_, i) => i + 1));
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ reason: 'not_retained', afterSeq: 5, lastSeq: 2505 });
    const rest = server.restRequests.map((r) => r.url.searchParams.get('after_seq'));
    expect(rest).toEqual(['5', '1005', '2005']);
    expect(server.restRequests[0]!.url.searchParams.get('types')).toBe('call.*');
    expect(server.restRequests[0]!.authorization).toBe('Bearer t1');
    const m = h.client.metrics();
    expect(m.gaps).toBe(1);
    expect(m.backfilled).toBe(2500);
  });

  it('reports events that REST no longer retains as a lost gap with the missing range', async () => {
    h = makeClient(server);
    const seen: number[] = [];
    const gaps: GapNotice[] = [];
    h.client.onGap((gap) => gaps.push(gap));
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    await h.client.subscribe(['*']).ready;
    server.publish(2);
    await until(() => seen.length === 2, 'two');
    server.dropAll();
    server.publish(10);
    server.socketOldest = 11;
    server.restOldest = 6;
    await until(() => seen.length === 9, 'what is left', 5000);
    expect(seen).toEqual([1, 2, 6, 7, 8, 9, 10, 11, 12]);
    expect(gaps.map((g) => g.reason)).toEqual(['not_retained', 'lost']);
    expect(gaps[1]!.missing).toEqual({ from: 3, to: 5 });
  });

  it('restarts the cursor when the server history went backwards', async () => {
    server.publish(3);
    h = makeClient(server);
    const gaps: GapNotice[] = [];
    h.client.onGap((gap) => gaps.push(gap));
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    const sub = h.client.subscribe(['*'], { afterSeq: 50 });
    await sub.ready;
    expect(gaps[0]).toMatchObject({ reason: 'history_reset', afterSeq: 50, lastSeq: 3 });
    server.publish(1);
    await until(() => seen.length === 1, 'the new event');
    expect(seen).toEqual([4]);
  });

  it('retries a failed backfill by reconnecting, without losing anything', async () => {
    h = makeClient(server);
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    await h.client.subscribe(['*']).ready;
    server.dropAll();
    server.publish(30);
    server.socketOldest = 25;
    server.restFailures = 1;
    await until(() => seen.length === 30, 'all thirty');
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(server.restRequests).toHaveLength(2);
    expect(server.frames('subscribe')).toHaveLength(3);
    expect(h.errors).toHaveLength(1);
  });

  it('a backfill refused with 401 refreshes the token once and retries', async () => {
    h = makeClient(server);
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    await h.client.subscribe(['*']).ready;
    server.dropAll();
    server.publish(30);
    server.socketOldest = 25;
    server.restExpired.add('t1');
    await until(() => seen.length === 30, 'all thirty');
    expect(h.auth.refreshCalls).toEqual(['Bearer t1']);
    expect(server.restRequests.map((r) => r.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('ignores unknown event types and extra fields instead of crashing', async () => {
    h = makeClient(server);
    const seen: number[] = [];
    const extras: boolean[] = [];
    const unknown: string[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
      extras.push('extra_field' in e);
    });
    h.client.onUnknown((n) => unknown.push(`${n.event.type}:${n.knownType}:${n.issues.length > 0}`));
    await h.client.subscribe(['*']).ready;
    server.publish(1, (seq) => ({ ...callEvent(seq), type: 'call.teleported' }));
    server.publish(1, (seq) => ({ ...callEvent(seq), extra_field: { nested: true } }));
    server.publish(1, (seq) => ({ ...callEvent(seq, 'call.hangup'), payload: { shape: 'changed' } }));
    server.publish(1);
    await until(() => seen.length === 2 && unknown.length === 2, 'all four handled');
    expect(seen).toEqual([2, 4]);
    // A validated event is the schema's output: fields this version does not know are stripped.
    expect(extras).toEqual([false, false]);
    expect(unknown).toEqual(['call.teleported:false:true', 'call.hangup:true:true']);
    // Garbage frames are ignored too.
    server.open[0]!.socket.send('not json');
    server.open[0]!.socket.send(JSON.stringify({ type: 'brand_new_frame' }));
    server.publish(1);
    await until(() => seen.length === 3, 'still alive');
    expect(h.client.metrics().unknown).toBe(2);
  });

  it('without validate: known types arrive as sent, unknown types go to onUnknown, nothing is checked', async () => {
    h = makeClient(server, { validate: undefined });
    const seen: unknown[] = [];
    const unknown: string[] = [];
    h.client.on('*', (e) => {
      seen.push(e.payload);
    });
    h.client.onUnknown((n) => unknown.push(`${n.event.type}:${n.knownType}:${n.issues.length}`));
    await h.client.subscribe(['*']).ready;
    server.publish(1, (seq) => ({ ...callEvent(seq), type: 'call.teleported' }));
    server.publish(1, (seq) => ({ ...callEvent(seq, 'call.hangup'), payload: { shape: 'changed' } }));
    await until(() => seen.length === 1 && unknown.length === 1, 'both handled');
    // Typed by assertion only: the changed payload is passed on untouched.
    expect(seen).toEqual([{ shape: 'changed' }]);
    expect(unknown).toEqual(['call.teleported:false:0']);
  });

  it('refuses a validate option that is not a function', () => {
    expect(() => makeClient(server, { validate: true as never })).toThrow(/parseEventLenient/);
  });
});
