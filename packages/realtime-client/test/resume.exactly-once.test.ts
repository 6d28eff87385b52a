import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryCursorStore } from '../src/index.js';
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

describe('lossless resume', () => {
  it('resubscribes with after_seq after a dropped socket and drops the replayed duplicates', async () => {
    server.replayOverlap = 5; // the server re-sends 5 events the client already has
    h = makeClient(server);
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    await h.client.subscribe(['*']).ready;
    server.publish(10);
    await until(() => seen.length === 10, 'first ten');
    server.dropAll();
    server.publish(10); // published while the client is away
    await until(() => seen.length === 20, 'the missed ten');
    const subscribes = server.frames('subscribe');
    expect(subscribes).toHaveLength(2);
    expect(subscribes[1]).toMatchObject({ after_seq: 10 });
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const m = h.client.metrics();
    expect(m.duplicatesDropped).toBe(5);
    expect(m.replayed).toBe(10);
    expect(m.reconnects).toBe(1);
    expect(h.states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('a socket killed in the middle of a replay resumes from the last event received', async () => {
    h = makeClient(server);
    const seen: number[] = [];
    let killed = false;
    h.client.on('*', (e) => {
      seen.push(e.seq);
      if (!killed && seen.length === 600) {
        killed = true;
        server.dropAll(); // mid-replay: the rest of the replay never arrives on this socket
      }
    });
    server.pacedReplay = true;
    await h.client.subscribe(['*'], { afterSeq: 0 }).ready;
    server.dropAll(); // the client is away while 3000 events happen…
    server.publish(3000); // …so its resubscribe replays all of them
    await until(() => seen.length === 3000, 'all 3000', 10_000);
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    const afterSeqs = server.frames('subscribe').map((f) => f.after_seq);
    expect(afterSeqs[0]).toBe(0);
    expect(afterSeqs[1]).toBe(0);
    // Resumed after what it had (600, or a little more if frames were in flight), not from 0 again.
    expect(afterSeqs[2]).toBeGreaterThanOrEqual(600);
    expect(afterSeqs[2]).toBeLessThan(3000);
  });

  it('a reconnect before the first event resumes from the seq the subscription started at', async () => {
    server.publish(7); // history before the subscription
    h = makeClient(server);
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    const sub = h.client.subscribe(['*']);
    await sub.ready;
    expect(sub.cursor).toBe(7);
    server.dropAll();
    server.publish(2);
    await until(() => seen.length === 2, 'events after the start');
    expect(seen).toEqual([8, 9]);
    expect(server.frames('subscribe')[1]).toMatchObject({ after_seq: 7 });
  });

  it('a restarted process resumes from the cursor store', async () => {
    const store = createMemoryCursorStore();
    h = makeClient(server, { cursorStore: store });
    const first: number[] = [];
    h.client.on('*', (e) => {
      first.push(e.seq);
    });
    await h.client.subscribe(['call.*']).ready;
    server.publish(4);
    await until(() => first.length === 4, 'four events');
    h.client.dispose();
    server.publish(3); // while no process runs

    h = makeClient(server, { cursorStore: store });
    const second: number[] = [];
    h.client.on('*', (e) => {
      second.push(e.seq);
    });
    await h.client.subscribe(['call.*']).ready;
    await until(() => second.length === 3, 'the three missed');
    expect(second).toEqual([5, 6, 7]);
    expect(server.frames('subscribe').at(-1)).toMatchObject({ after_seq: 4 });
  });

  it('an async cursor store is awaited before subscribing', async () => {
    const store = {
      get: async () => {
        await new Promise((r) => setTimeout(r, 20));
        return 2;
      },
      set: async () => {},
    };
    server.publish(3);
    h = makeClient(server, { cursorStore: store });
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    await h.client.subscribe(['*']).ready;
    await until(() => seen.length === 1, 'the replayed event');
    expect(seen).toEqual([3]);
  });

  it('unsubscribe stops events here and on the server', async () => {
    h = makeClient(server);
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    const sub = h.client.subscribe(['*']);
    const info = await sub.ready;
    await sub.unsubscribe();
    server.publish(2);
    await until(() => server.frames('unsubscribe').length === 1, 'unsubscribe frame');
    expect(server.frames('unsubscribe')[0]).toMatchObject({ subscription: info.subscription });
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([]);
  });
});
