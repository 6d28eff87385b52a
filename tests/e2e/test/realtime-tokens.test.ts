import { isCallwireError } from '@callwire/auth-core';
import { createRealtimeClient } from '@callwire/realtime-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACME,
  ALICE,
  BOB,
  DAVE,
  emitStream,
  type RealtimeServer,
  sessionAuth,
  startRealtimeServer,
  until,
} from './realtime-harness.js';

let server: RealtimeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A token that the server sees expiring `livesMs` after the socket connects, while the client's
 * session (local clock + token_lifetime) still believes it has a minute: it was issued while the
 * server's clock ran behind (skew). The server, not the client's clock, decides; the client must cope.
 */
async function skewedSession(livesMs: number) {
  let offset = -(60_000 - livesMs);
  server = await startRealtimeServer({ tokenLifetime: 60, clock: { now: () => Date.now() + offset } });
  const auth = sessionAuth(server, ALICE);
  const first = await auth.token();
  offset = 0;
  return { auth, first };
}

describe('realtime-client tokens against the demo-server', () => {
  it('a token expiring during a long stream is renewed on the socket (reauth): no loss, no reconnect', async () => {
    const { auth, first } = await skewedSession(10_000);
    const client = createRealtimeClient({ url: server!.wsUrl, auth });
    const seen: number[] = [];
    client.on('call.*', (e) => {
      seen.push(e.seq);
    });
    await client.subscribe(['call.*'], { accountId: ACME }).ready;
    const stream = emitStream(() => server!, 5);
    await sleep(12_000); // past the server-side expiry of the first token
    stream.stop();
    const emitted = await stream.done;
    await until(() => seen.length >= emitted.length, 'every event');
    expect(seen).toEqual(emitted);
    expect(client.metrics().connects).toBe(1);
    expect(auth.session()?.token).not.toBe(first);
    client.dispose();
    auth.dispose();
  }, 30_000);

  it('a token the server expires before the client could renew it: 4401, one refresh, resume without loss', async () => {
    const { auth, first } = await skewedSession(2_000);
    const client = createRealtimeClient({ url: server!.wsUrl, auth, backoff: { initial: 50 } });
    const seen: number[] = [];
    const closes: (number | undefined)[] = [];
    client.onState((s) => {
      if (s.state === 'reconnecting') closes.push(s.code);
    });
    client.on('call.*', (e) => {
      seen.push(e.seq);
    });
    await client.subscribe(['call.*'], { accountId: ACME }).ready;
    const stream = emitStream(() => server!, 5);
    await sleep(5_000);
    stream.stop();
    const emitted = await stream.done;
    await until(() => seen.length >= emitted.length, 'every event');
    expect(seen).toEqual(emitted);
    expect(closes).toEqual([4401]);
    expect(client.metrics().connects).toBe(2);
    expect(auth.session()?.token).not.toBe(first);
    client.dispose();
    auth.dispose();
  }, 30_000);

  it('4403 (API access switched off) stops for good with a typed PermissionError', async () => {
    server = await startRealtimeServer();
    const dave = sessionAuth(server, DAVE);
    const client = createRealtimeClient({ url: server.wsUrl, auth: dave, backoff: { initial: 50 } });
    const errors: unknown[] = [];
    client.onError((e) => errors.push(e));
    await client.subscribe(['*']).ready;

    // Bob, Bayside's admin, switches Dave's API access off.
    const bob = sessionAuth(server, BOB);
    const headers = new Headers({ 'content-type': 'application/json' });
    await bob.authorize({ headers, url: `${server.url}/rest/account/user` });
    const users = await fetch(`${server.url}/rest/account/user`, { headers });
    const list = (
      (await users.json()) as {
        payload: { data?: { uuid: string; email: string }[] } | { uuid: string; email: string }[];
      }
    ).payload;
    const rows = Array.isArray(list) ? list : (list.data ?? []);
    const daveId = rows.find((u) => u.email === DAVE.username)!.uuid;
    const patch = await fetch(`${server.url}/rest/account/user/${daveId}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ api_access: false }),
    });
    expect(patch.status).toBe(200);

    await until(() => client.state === 'closed', 'the client to stop');
    const upgrades = server.upgrades().total;
    expect(errors).toHaveLength(1);
    expect(isCallwireError(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ name: 'PermissionError', status: 403 });
    await expect(client.connect()).rejects.toMatchObject({ name: 'PermissionError' });
    await sleep(1_500);
    expect(server.upgrades().total).toBe(upgrades); // never tried again
    client.dispose();
    dave.dispose();
    bob.dispose();
  }, 30_000);
});
