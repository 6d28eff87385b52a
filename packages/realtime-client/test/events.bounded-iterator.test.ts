import type { CallwireEvent } from '@callwire/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferOverflowError } from '../src/index.js';
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('events() iterator', () => {
  it('yields matching events in order and ends when the signal aborts', async () => {
    h = makeClient(server);
    const sub = h.client.subscribe(['*']);
    await sub.ready;
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of h!.client.events({
        types: ['call.hangup', 'call.ringing'],
        signal: controller.signal,
      })) {
        seen.push(`${e.seq}:${e.type}`);
        if (seen.length === 3) controller.abort();
      }
    })();
    server.publish(20);
    await done;
    expect(seen).toEqual(['1:call.ringing', '4:call.hangup', '7:call.ringing']);
  });

  it('advances the cursor only when the consumer asks for the next event', async () => {
    h = makeClient(server);
    const sub = h.client.subscribe(['*']);
    await sub.ready;
    const it = h.client.events();
    server.publish(3);
    const first = await it.next();
    expect(first.value?.seq).toBe(1);
    await sleep(20);
    expect(sub.cursor).toBe(0); // event 1 is still being handled by the loop body
    await it.next();
    expect(sub.cursor).toBe(1);
    await it.return?.();
    expect(sub.cursor).toBe(3); // a consumer that stops releases what it held
  });

  it('a slow consumer (overflow: wait) keeps memory bounded and still sees everything exactly once', async () => {
    h = makeClient(server, { maxQueue: 50 });
    const sub = h.client.subscribe(['*']);
    await sub.ready;
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const e of h!.client.events({ bufferSize: 10 })) {
        seen.push(e.seq);
        if (seen.length % 25 === 0) await sleep(5);
        if (seen.length === 1000) break;
      }
    })();
    server.publish(1000);
    await consumer;
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const m = h.client.metrics();
    expect(m.sheds).toBeGreaterThan(0);
    // Bounded by maxQueue plus the frames one socket read can carry before the pause takes effect.
    expect(m.maxQueued).toBeLessThan(1000);
    expect(m.duplicatesDropped).toBeGreaterThanOrEqual(0);
  });

  it("overflow: 'drop-oldest' discards and counts, 'error' throws BufferOverflowError", async () => {
    h = makeClient(server);
    await h.client.subscribe(['*']).ready;
    const dropping = h.client.events({ bufferSize: 2, overflow: 'drop-oldest' });
    const failing = h.client.events({ bufferSize: 2, overflow: 'error' });
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    server.publish(5);
    await until(() => seen.length === 5, 'five');
    const kept: number[] = [];
    for (let i = 0; i < 2; i++) kept.push(((await dropping.next()).value as CallwireEvent).seq);
    expect(kept).toEqual([4, 5]);
    expect(h.client.metrics().dropped).toBe(3);
    await expect(failing.next()).rejects.toBeInstanceOf(BufferOverflowError);
    expect((await failing.next()).done).toBe(true);
  });

  it('validates options', () => {
    h = makeClient(server);
    expect(() => h!.client.events({ bufferSize: 0 })).toThrow(TypeError);
    expect(() => h!.client.events({ types: ['not a pattern'] })).toThrow(TypeError);
    expect(() => h!.client.subscribe([])).toThrow(TypeError);
  });
});
