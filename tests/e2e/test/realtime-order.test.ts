import { randomUUID } from 'node:crypto';
import { createRealtimeClient } from '@callwire/realtime-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACME,
  ALICE,
  eventsOf,
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

/** Emits one schema-valid call event of `type` on Acme; returns its seq. */
async function emit(type: 'call.ringing' | 'call.hangup'): Promise<number> {
  const uuid = randomUUID();
  const now = new Date().toISOString();
  const stored = await eventsOf(server!).emit({
    accountId: ACME,
    type,
    refId: uuid,
    message: `Call out +12015550100 > +12015550123 - ${type}`,
    payload: {
      uuid,
      direction: 'out',
      from: '+12015550100',
      to: '+12015550123',
      state: type === 'call.ringing' ? 'ringing' : 'hangup',
      duration: 0,
      init_on: now,
      ring_on: now,
      answer_on: null,
      hangup_on: type === 'call.hangup' ? now : null,
      destroy_on: null,
      q850_cause: null,
      q850_cause_string: null,
      parent: null,
      batch: null,
    },
  });
  return stored.seq;
}

describe('realtime-client order across subscriptions against the demo-server', () => {
  it('two subscriptions on one account: after a dropped connection, every event arrives once in account seq order', async () => {
    server = await startRealtimeServer();
    const auth = sessionAuth(server, ALICE);
    // Reconnects come ~300 ms after a drop: the events emitted meanwhile are all in the gap.
    const client = createRealtimeClient({
      url: server.wsUrl,
      auth,
      backoff: { initial: 300, max: 300, random: () => 0.99 },
    });
    const seen: number[] = [];
    client.on('*', (event) => {
      seen.push(event.seq);
    });
    const iterated: number[] = [];
    const iterator = client.events();
    const reading = (async () => {
      for await (const event of iterator) iterated.push(event.seq);
    })();
    await Promise.all([
      client.subscribe(['call.ringing'], { accountId: ACME }).ready,
      client.subscribe(['call.hangup'], { accountId: ACME }).ready,
    ]);
    const emitted: number[] = [];
    for (let i = 0; i < 4; i++) emitted.push(await emit(i % 2 === 0 ? 'call.ringing' : 'call.hangup'));
    await until(() => seen.length === emitted.length, 'the live events');

    for (let round = 0; round < 2; round++) {
      expect(server.dropSockets()).toBe(1);
      // Runs of each type, so a subscription-by-subscription replay could not come out in order.
      for (let i = 0; i < 12; i++) emitted.push(await emit(i % 4 < 2 ? 'call.ringing' : 'call.hangup'));
      await until(() => seen.length === emitted.length, `the events of drop ${round + 1}`);
    }
    await until(() => iterated.length === emitted.length, 'the iterator');
    expect(seen).toEqual(emitted);
    expect(iterated).toEqual(emitted);
    expect(client.metrics().reconnects).toBe(2);
    client.dispose();
    await reading;
    auth.dispose();
  }, 30_000);
});
