import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRealtimeClient } from '@callwire/realtime-client';
import { parseEventLenient } from '@callwire/types';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ACME,
  ALICE,
  emitCall,
  type RealtimeServer,
  sessionAuth,
  startRealtimeServer,
  until,
} from './realtime-harness.js';

describe('realtime-client against the demo-server: nothing lost, nothing twice', () => {
  let server: RealtimeServer | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    await server?.close();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('5,000 events through socket drops and a whole-server restart on the same data: each once, in order', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'callwire-rt-'));
    server = await startRealtimeServer({ dataDir, memory: false });
    const port = server.port;
    const auth = sessionAuth(server, ALICE);
    const client = createRealtimeClient({
      url: server.wsUrl,
      auth,
      backoff: { initial: 50, max: 500 },
      validate: parseEventLenient,
    });
    const seen: number[] = [];
    const states: string[] = [];
    client.onState((s) => states.push(s.state));
    client.on('call.*', async (event) => {
      expect(event.account_id).toBe(ACME);
      seen.push(event.seq);
    });
    await client.subscribe(['call.*'], { accountId: ACME }).ready;

    const emitted: number[] = [];
    const TOTAL = 5000;
    let dropped = 0;
    for (let i = 0; i < TOTAL; i++) {
      emitted.push(await emitCall(server));
      // The embedded database answers without I/O; yield so sockets and the client run meanwhile.
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      if (i % 700 === 350) {
        // Each drop takes a socket the client is using: after the previous drop (or the restart) the
        // client may still be backing off, and a drop then would hit nothing.
        await until(() => client.state === 'open', 'the client back on line before the next drop');
        dropped += server.dropSockets(); // mid-stream, and often mid-replay
      }
      if (i === 2500) {
        // The whole server goes away and comes back on the same port and data directory.
        await server.close();
        server = await startRealtimeServer({ dataDir, memory: false, port });
      }
    }
    await until(() => seen.length >= TOTAL, `${TOTAL} events (have ${seen.length})`, 60_000);
    await new Promise((r) => setTimeout(r, 200)); // anything extra would show up now
    expect(seen).toEqual(emitted);
    expect(dropped).toBeGreaterThanOrEqual(7);
    const metrics = client.metrics();
    // Every authenticated socket dropped cost a reconnect (the restart may fall inside one of them).
    expect(metrics.reconnects).toBeGreaterThanOrEqual(dropped);
    expect(metrics.duplicatesDropped + metrics.replayed).toBeGreaterThan(0);
    client.dispose();
    auth.dispose();
  }, 120_000);
});
