import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTimers } from './helpers/fake-timers.js';
import { ScriptedServer, until } from './helpers/scripted-server.js';
import { type Harness, makeClient } from './helpers/setup.js';

let server: ScriptedServer;
let h: Harness | undefined;
let timers: FakeTimers;

beforeEach(async () => {
  server = await ScriptedServer.start();
  timers = new FakeTimers();
});
afterEach(async () => {
  h?.client.dispose();
  await server.stop();
});

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('heartbeat', () => {
  it('sends app-level pings and measures the round trip', async () => {
    h = makeClient(server, { timers });
    await h.client.connect();
    timers.advance(25_000);
    await until(() => h!.client.metrics().roundTripTime !== undefined, 'pong');
    expect(server.frames('ping')).toHaveLength(1);
    expect(server.frames('ping')[0]).toMatchObject({ type: 'ping', id: expect.any(String) });
  });

  it('drops a silent link after ping interval + 10 s and reconnects (pongs withheld)', async () => {
    server.answerPings = false;
    h = makeClient(server, { timers });
    await h.client.connect();
    timers.advance(34_999);
    await settle();
    expect(server.connections).toHaveLength(1);
    timers.advance(1);
    await until(() => server.connections.length === 2 && h!.client.state === 'open', 'reconnected');
    expect(h.states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('counts any incoming frame as liveness', async () => {
    server.answerPings = false;
    h = makeClient(server, { timers });
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    await h.client.subscribe(['*']).ready;
    for (let i = 1; i <= 6; i++) {
      timers.advance(20_000);
      server.publish(1);
      await until(() => seen.length === i, `event ${i}`);
    }
    expect(server.connections).toHaveLength(1);
  });

  it('a timer throttled for a minute does not condemn a quiet but healthy link', async () => {
    h = makeClient(server, { timers });
    await h.client.connect();
    timers.advance(30_000); // ping at 25 s; the pong arrives at "30 s"
    await until(() => h!.client.metrics().roundTripTime !== undefined, 'first pong');
    timers.advanceLate(60_000); // the tab slept: the 50 s wake-up fires at 90 s
    await until(() => server.frames('ping').length === 2, 'a ping on waking');
    await settle();
    timers.advance(10_000);
    await settle();
    expect(server.connections).toHaveLength(1);
    expect(h.states).toEqual(['connecting', 'open']);
  });

  it('a throttled timer still finds a dead link: tolerance after the ping it sends on waking', async () => {
    h = makeClient(server, { timers });
    await h.client.connect();
    timers.advance(30_000);
    await until(() => h!.client.metrics().roundTripTime !== undefined, 'first pong');
    server.answerPings = false; // the link dies quietly
    timers.advanceLate(60_000);
    await settle();
    expect(server.connections).toHaveLength(1);
    timers.advance(10_000);
    await until(() => server.connections.length === 2, 'reconnected after the unanswered ping');
  });

  it('gives up on a server that never answers auth, within the same deadline', async () => {
    server.answerAuth = false;
    h = makeClient(server, { timers });
    h.client.connect().catch(() => {});
    await until(() => server.connections.length === 1, 'socket');
    timers.advance(35_000);
    await until(() => server.connections.length === 2, 'second attempt');
  });
});
