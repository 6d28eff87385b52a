import type { CallwireEvent } from '@callwire/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT } from './helpers/fixtures.js';
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

describe('connecting', () => {
  it('authenticates with the first message, then sends subscriptions made before auth completed', async () => {
    h = makeClient(server);
    const seen: CallwireEvent[] = [];
    const froms: string[] = [];
    h.client.on('call.*', (event) => {
      seen.push(event);
      // Typed by the pattern: every call event carries a call.
      froms.push(event.payload.from);
    });
    // Subscribed before any socket exists: must still reach the server, after auth.
    const sub = h.client.subscribe(['call.*']);
    const info = await sub.ready;
    const frames = server.connections[0]!.received;
    expect(frames[0]).toEqual({ type: 'auth', token: 't1' });
    expect(frames[1]).toMatchObject({ type: 'subscribe', types: ['call.*'] });
    expect(frames[1]).not.toHaveProperty('after_seq');
    expect(info).toMatchObject({ accountId: ACCOUNT, lastSeq: 0, recovered: true });
    expect(h.client.state).toBe('open');
    expect(h.states).toEqual(['connecting', 'open']);

    server.publish(3);
    await until(() => seen.length === 3, 'three events');
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(froms[0]).toBe('+12015550100');
    expect(sub.cursor).toBe(3);
  });

  it('connect() resolves once authenticated and is idempotent', async () => {
    h = makeClient(server);
    await Promise.all([h.client.connect(), h.client.connect()]);
    expect(server.connections).toHaveLength(1);
    await h.client.connect();
    expect(server.connections).toHaveLength(1);
  });

  it('delivers only the patterns a handler asked for, each event once even with overlapping subscriptions', async () => {
    h = makeClient(server);
    const hangups: number[] = [];
    const all: number[] = [];
    h.client.on('call.hangup', (e) => {
      hangups.push(e.seq);
    });
    h.client.on('*', (e) => {
      all.push(e.seq);
    });
    await Promise.all([h.client.subscribe(['call.*']).ready, h.client.subscribe(['*']).ready]);
    server.publish(12);
    await until(() => all.length === 12, 'all events');
    await new Promise((r) => setTimeout(r, 30));
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(hangups).toEqual([4, 10]);
  });

  it('awaits async handlers in order and advances the cursor only after they complete', async () => {
    h = makeClient(server);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    h.client.on('*', async (e) => {
      order.push(`start ${e.seq}`);
      if (e.seq === 1) await gate;
      order.push(`end ${e.seq}`);
    });
    const sub = h.client.subscribe(['*']);
    await sub.ready;
    server.publish(2);
    await until(() => order.length === 1, 'first handler started');
    await new Promise((r) => setTimeout(r, 30));
    expect(order).toEqual(['start 1']);
    expect(sub.cursor).toBe(0);
    release();
    await until(() => order.length === 4, 'both handled');
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(sub.cursor).toBe(2);
  });

  it('keeps going when a handler throws, and reports the error', async () => {
    h = makeClient(server);
    const seen: number[] = [];
    h.client.on('*', (e) => {
      if (e.seq === 1) throw new Error('boom');
      seen.push(e.seq);
    });
    await h.client.subscribe(['*']).ready;
    server.publish(2);
    await until(() => seen.length === 1, 'second event');
    expect(h.errors).toHaveLength(1);
    expect((h.errors[0] as Error).message).toBe('boom');
  });

  it('refuses a token in the URL and options that are not an auth strategy', () => {
    expect(() => makeClient(server, { url: `${server.url}?token=abc` })).toThrow(/token/);
    expect(() => makeClient(server, { url: 'http://127.0.0.1/ws' })).toThrow(/ws: or wss:/);
    expect(() => makeClient(server, { auth: {} as never })).toThrow(/auth strategy/);
  });

  it('rejects a subscription the server refuses, with a typed error', async () => {
    h = makeClient(server);
    await h.client.connect();
    // Script the refusal: answer the next subscribe with an error frame.
    const c = server.connections[0]!;
    c.socket.removeAllListeners('message');
    c.socket.on('message', (data) => {
      const frame = JSON.parse(String(data));
      c.send({
        type: 'error',
        id: frame.id,
        code: 'account_forbidden',
        message: 'You may not read events of that account',
      });
    });
    const sub = h.client.subscribe(['*'], { accountId: '99999999-9999-4999-8999-999999999999' });
    await expect(sub.ready).rejects.toMatchObject({ name: 'PermissionError', code: 'account_forbidden' });
  });
});
