import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { createRealtimeClient } from '@callwire/realtime-client';
import pg from 'pg';
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

const DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

interface Proxy {
  port: number;
  /** Where new connections go from now on. */
  retarget(port: number): void;
  /** Resets every connection it carries, as an instance that dies does. */
  cut(): void;
  close(): Promise<void>;
}

/** A small TCP proxy standing in for the load balancer in front of the instances. */
function tcpProxy(initialTarget: number): Promise<Proxy> {
  let target = initialTarget;
  const open = new Set<Socket>();
  const server = createServer((inbound) => {
    const upstream = connect(target, '127.0.0.1');
    for (const s of [inbound, upstream]) {
      open.add(s);
      s.once('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    inbound.pipe(upstream).pipe(inbound);
    inbound.once('close', () => upstream.destroy());
    upstream.once('close', () => inbound.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        retarget: (port) => {
          target = port;
        },
        cut: () => {
          for (const s of open) s.resetAndDestroy();
          open.clear();
        },
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

describe.runIf(DATABASE_URL !== undefined)('realtime-client across instances sharing PostgreSQL', () => {
  const schema = `fo_${randomBytes(6).toString('hex')}`;
  const servers: RealtimeServer[] = [];
  let proxy: Proxy | undefined;
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    await proxy?.close();
    await dropSchema(schema);
  });

  it('moved to another instance when its instance dies, it resumes there with no event lost or doubled', async () => {
    const pgOptions = { databaseUrl: DATABASE_URL, databaseSchema: schema, memory: false };
    const a = await startRealtimeServer(pgOptions);
    const b = await startRealtimeServer({ ...pgOptions, seed: false });
    servers.push(a, b);
    proxy = await tcpProxy(a.port);
    const front = { url: `http://127.0.0.1:${proxy.port}` };
    const auth = sessionAuth(front, ALICE);
    const client = createRealtimeClient({
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      auth,
      backoff: { initial: 20, max: 200 },
    });
    const seen: number[] = [];
    client.on('call.*', async (event) => {
      seen.push(event.seq);
    });
    await client.subscribe(['call.*'], { accountId: ACME }).ready;

    const emitted: number[] = [];
    for (let i = 0; i < 200; i++) emitted.push(await emitCall(a));
    await until(() => seen.length >= 100, 'the first events on A');
    // A dies: its connections reset, the balancer sends new ones to B, and events go on there.
    proxy.retarget(b.port);
    proxy.cut();
    await a.close();
    for (let i = 0; i < 200; i++) emitted.push(await emitCall(b));

    await until(() => seen.length >= emitted.length, `${emitted.length} events (have ${seen.length})`);
    await new Promise((r) => setTimeout(r, 200)); // anything doubled would show up now
    expect(seen).toEqual(emitted);
    expect(client.metrics().reconnects).toBeGreaterThanOrEqual(1);
    client.dispose();
    auth.dispose();
  }, 60_000);
});
