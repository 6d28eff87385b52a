import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTimers } from './helpers/fake-timers.js';
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

describe('reconnect backoff', () => {
  it('widens with each quick failure and resets only after 5 s of stable connection', async () => {
    const timers = new FakeTimers();
    h = makeClient(server, { timers, backoff: { random: () => 0.999 } });
    const delays: number[] = [];
    h.client.onState((s) => {
      if (s.state === 'reconnecting' && s.delay !== undefined) delays.push(s.delay);
    });
    await h.client.connect();
    const dropAndReconnect = async (stableMs: number) => {
      timers.advance(stableMs);
      const before = server.connections.length;
      server.dropAll();
      await until(() => delays.length > 0 && h!.client.state === 'reconnecting', 'reconnecting');
      timers.advance(delays.at(-1)!);
      await until(() => server.connections.length > before && h!.client.state === 'open', 'open again');
    };
    await dropAndReconnect(100);
    await dropAndReconnect(100);
    await dropAndReconnect(100);
    expect(delays).toEqual([499, 999, 1998]);
    await dropAndReconnect(5_000); // stable long enough: back to the first window
    expect(delays.at(-1)).toBe(499);
  });
});
