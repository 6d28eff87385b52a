import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { createRealtimeClient } from '../src/index.js';
import { FakeAuth } from './helpers/fake-auth.js';
import { FakeTimers } from './helpers/fake-timers.js';
import { ScriptedServer, until } from './helpers/scripted-server.js';

let server: ScriptedServer;

beforeEach(async () => {
  server = await ScriptedServer.start();
});
afterEach(async () => {
  await server.stop();
});

/** A WebSocket that counts its listeners. */
function countingWebSocket(Base: typeof WsWebSocket) {
  const sockets: { attached: number }[] = [];
  class Counting extends Base {
    attached = 0;
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
    override addEventListener(...args: Parameters<WsWebSocket['addEventListener']>): void {
      this.attached += 1;
      super.addEventListener(...args);
    }
    override removeEventListener(...args: Parameters<WsWebSocket['removeEventListener']>): void {
      this.attached -= 1;
      super.removeEventListener(...args);
    }
  }
  return { Counting, sockets };
}

describe('dispose', () => {
  it('100 connect/dispose cycles leave no socket listener, timer or auth listener behind', async () => {
    const { Counting, sockets } = countingWebSocket(WsWebSocket);
    const timers = new FakeTimers();
    const auth = new FakeAuth();
    for (let i = 0; i < 100; i++) {
      const client = createRealtimeClient({ url: server.url, auth, WebSocket: Counting, timers });
      const off = client.on('*', () => {});
      client.onState(() => {});
      const sub = client.subscribe(['call.*']);
      const iterator = client.events();
      const pending = iterator.next();
      if (i % 2 === 0) await sub.ready; // half of them disposed mid-handshake
      client.dispose();
      off();
      expect((await pending).done).toBe(true);
      await expect(client.connect()).rejects.toMatchObject({ code: 'disposed' });
    }
    expect(sockets.length).toBeGreaterThanOrEqual(50);
    expect(sockets.every((s) => s.attached === 0)).toBe(true);
    expect(timers.active).toBe(0);
    expect(auth.listeners.size).toBe(0);
    await until(() => server.open.length === 0, 'every server-side socket closed');
  });

  it('keeps exactly one socket alive: an error followed by close reconnects once', async () => {
    const auth = new FakeAuth();
    const client = createRealtimeClient({ url: server.url, auth, backoff: { random: () => 0 } });
    await client.connect();
    for (let i = 0; i < 5; i++) {
      server.dropAll(); // abrupt: the client sees error + close
      await until(() => client.state === 'open' && server.open.length === 1, 'reconnected');
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(server.connections).toHaveLength(6);
    expect(server.open).toHaveLength(1);
    client.dispose();
  });
});
