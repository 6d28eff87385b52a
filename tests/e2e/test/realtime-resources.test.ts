import { createRealtimeClient, type RealtimeTimers } from '@callwire/realtime-client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  ACME,
  ALICE,
  emitCall,
  type RealtimeServer,
  sessionAuth,
  startRealtimeServer,
  until,
} from './realtime-harness.js';

let server: RealtimeServer;
beforeAll(async () => {
  server = await startRealtimeServer();
});
afterAll(async () => {
  await server?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('realtime-client resources against the demo-server', () => {
  it('a slow for-await consumer keeps memory bounded and still sees every event once', async () => {
    const auth = sessionAuth(server, ALICE);
    const client = createRealtimeClient({
      url: server.wsUrl,
      auth,
      maxQueue: 200,
      backoff: { initial: 20, max: 200 },
    });
    await client.subscribe(['call.*'], { accountId: ACME }).ready;
    // Disposed even when an assertion fails, so the next test starts with a quiet server.
    onTestFinished(() => {
      client.dispose();
      auth.dispose();
    });
    const TOTAL = 3000;
    const seen: number[] = [];
    let maxBuffered = 0;
    const consumer = (async () => {
      for await (const event of client.events({ types: ['call.*'], bufferSize: 50 })) {
        seen.push(event.seq);
        if (seen.length % 10 === 0) await sleep(5); // far slower than the producer
        if (seen.length === TOTAL) break;
      }
    })();
    const emitted: number[] = [];
    const sampler = setInterval(() => {
      maxBuffered = Math.max(maxBuffered, client.metrics().queued);
    }, 5);
    for (let i = 0; i < TOTAL; i++) {
      emitted.push(await emitCall(server));
      // The embedded database answers without I/O; yield so the socket delivers while we emit.
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await consumer;
    clearInterval(sampler);
    expect(seen).toEqual(emitted);
    const m = client.metrics();
    // Held events never exceed maxQueue plus what one read of the socket carried before the pause.
    expect(m.maxQueued).toBeLessThan(1000);
    expect(maxBuffered).toBeLessThan(1000);
    expect(m.sheds).toBeGreaterThan(0); // the bound was reached and held, by pausing the socket
    client.dispose();
    auth.dispose();
  }, 60_000);

  it('100 connect/dispose cycles leave no listeners or timers behind', async () => {
    const sockets: { attached: number }[] = [];
    class CountingWebSocket extends WebSocket {
      attached = 0;
      constructor(url: string) {
        super(url);
        sockets.push(this);
      }
      override addEventListener(...args: Parameters<WebSocket['addEventListener']>): void {
        this.attached += 1;
        super.addEventListener(...(args as [string, EventListener]));
      }
      override removeEventListener(...args: Parameters<WebSocket['removeEventListener']>): void {
        this.attached -= 1;
        super.removeEventListener(...(args as [string, EventListener]));
      }
    }
    const live = new Set<unknown>();
    const timers: RealtimeTimers = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        const handle = setTimeout(() => {
          live.delete(handle);
          fn();
        }, ms);
        live.add(handle);
        return handle;
      },
      clearTimeout: (handle) => {
        live.delete(handle);
        clearTimeout(handle as ReturnType<typeof setTimeout>);
      },
    };
    const auth = sessionAuth(server, ALICE);
    let authListeners = 0;
    const onChange = auth.onChange.bind(auth);
    auth.onChange = (listener) => {
      authListeners += 1;
      const off = onChange(listener);
      return () => {
        authListeners -= 1;
        off();
      };
    };
    for (let i = 0; i < 100; i++) {
      const client = createRealtimeClient({ url: server.wsUrl, auth, WebSocket: CountingWebSocket, timers });
      client.on('*', () => {});
      const iterator = client.events();
      const next = iterator.next();
      const sub = client.subscribe(['call.*'], { accountId: ACME });
      if (i % 2 === 0) await sub.ready; // the other half are disposed mid-handshake
      client.dispose();
      expect((await next).done).toBe(true);
    }
    // Clients disposed while still fetching their token never opened a socket.
    expect(sockets.length).toBeGreaterThanOrEqual(50);
    expect(sockets.filter((s) => s.attached !== 0)).toHaveLength(0);
    expect(live.size).toBe(0);
    expect(authListeners).toBe(0);
    const hub = (server.ctx.services as { realtime?: { size: number } }).realtime;
    await until(
      () => server.upgrades().open === 0 && (hub?.size ?? 0) === 0,
      'the server to see every socket closed',
    );
    auth.dispose();
  }, 60_000);
});
