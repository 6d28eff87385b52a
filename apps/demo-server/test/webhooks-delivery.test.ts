import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhook } from '@callwire/auth-core';
import { EventSubscriptionSchema, WebhookDeliverySchema } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { dropSchema, startTestServer, TEST_DATABASE_URL } from './helpers/test-server.js';
import { Receiver } from './helpers/webhook-receiver.js';
import { ACME, alice, dave, emitBatches, sleep } from './realtime-helpers.js';

async function subscribe(
  server: RunningServer,
  token: string,
  body: Record<string, unknown>,
): Promise<{ uuid: string; signing_secret?: string }> {
  const res = await server.app.inject({
    method: 'POST',
    url: '/rest/event/subscription',
    headers: { authorization: `Bearer ${token}` },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return EventSubscriptionSchema.parse(res.json().payload);
}

async function deliveries(server: RunningServer, token: string, uuid: string) {
  const res = await server.app.inject({
    method: 'GET',
    url: `/rest/event/subscription/${uuid}/deliveries?take=100`,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().payload.data as unknown[]).map((d) => WebhookDeliverySchema.parse(d));
}

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(value)}`);
    await sleep(25);
  }
}

describe('webhook subscriptions and signed deliveries', () => {
  let server: RunningServer;
  let receiver: Receiver;
  let url: string;

  beforeAll(async () => {
    // sim speed 1000: the 1 s, 5 s, 30 s … retry schedule becomes 1 ms, 5 ms, 30 ms …
    server = await startTestServer({
      fastArgon2: true,
      simSpeed: 1000,
      webhooks: { timeoutMs: 300 },
    });
    receiver = new Receiver();
    url = await receiver.ready();
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('shows the signing secret once, in the create response only', async () => {
    const { token } = await alice(server);
    const created = await subscribe(server, token, { channel: 'webhook', types: ['sms.*'], url });
    expect(created.signing_secret).toMatch(/^whsec_/);
    const res = await server.app.inject({
      method: 'GET',
      url: `/rest/event/subscription/${created.uuid}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().payload.signing_secret).toBeUndefined();
    const list = await server.app.inject({
      method: 'GET',
      url: '/rest/event/subscription',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(JSON.stringify(list.json())).not.toContain('whsec_');
    const del = await server.app.inject({
      method: 'DELETE',
      url: `/rest/event/subscription/${created.uuid}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(del.statusCode).toBe(204);
  });

  it('validates subscriptions and needs manager access to create one', async () => {
    const { token } = await alice(server);
    const noUrl = await server.app.inject({
      method: 'POST',
      url: '/rest/event/subscription',
      headers: { authorization: `Bearer ${token}` },
      payload: { channel: 'webhook', types: ['*'] },
    });
    expect(noUrl.statusCode).toBe(400);
    const viewer = await dave(server);
    const forbidden = await server.app.inject({
      method: 'POST',
      url: '/rest/event/subscription',
      headers: { authorization: `Bearer ${viewer.token}` },
      payload: { channel: 'wss', types: ['*'] },
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('signs every delivery: verifyWebhook accepts it, and refuses a tampered body or a stale timestamp', async () => {
    const { token } = await alice(server);
    const sub = await subscribe(server, token, { channel: 'webhook', types: ['batch.updated'], url });
    const seen = receiver.received.length;
    const [seq] = await emitBatches(server, ACME, 1);
    const got = (await receiver.until(seen + 1)).at(-1)!;
    const event = JSON.parse(got.body) as { uuid: string; seq: number };
    expect(event.seq).toBe(seq);
    expect(got.headers['callwire-event-id']).toBe(event.uuid);
    const header = got.headers['callwire-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const secret = sub.signing_secret!;
    await expect(verifyWebhook({ secret, payload: got.body, header })).resolves.toMatchObject({ ok: true });
    await expect(
      verifyWebhook({ secret, payload: got.body.replace('"batch.updated"', '"batch.updatex"'), header }),
    ).rejects.toMatchObject({ reason: 'signature_mismatch' });
    const t = Number(/t=(\d+)/.exec(header)![1]);
    await expect(verifyWebhook({ secret, payload: got.body, header, now: t + 301 })).rejects.toMatchObject({
      reason: 'timestamp_out_of_tolerance',
    });
    await expect(verifyWebhook({ secret: 'whsec_other', payload: got.body, header })).rejects.toMatchObject({
      reason: 'signature_mismatch',
    });
    await server.app.inject({
      method: 'DELETE',
      url: `/rest/event/subscription/${sub.uuid}`,
      headers: { authorization: `Bearer ${token}` },
    });
  });

  it('retries against a receiver that fails twice, then succeeds; every attempt is recorded', async () => {
    const flaky = new Receiver();
    flaky.respond = (n) => (n <= 2 ? 503 : 204);
    const { token } = await alice(server);
    const sub = await subscribe(server, token, {
      channel: 'webhook',
      types: ['batch.*'],
      url: await flaky.ready(),
    });
    await emitBatches(server, ACME, 1);
    await flaky.until(3);
    const [delivery] = await waitFor(
      () => deliveries(server, token, sub.uuid),
      (d) => d[0]?.state === 'delivered',
    );
    expect(delivery).toMatchObject({
      state: 'delivered',
      attempts: 3,
      last_status: 204,
      next_attempt_on: null,
    });
    expect(delivery!.attempt_log!.map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 204],
    ]);
    // The same event, byte for byte, each time.
    expect(new Set(flaky.received.map((r) => r.body)).size).toBe(1);
    expect(flaky.received.map((r) => r.headers['callwire-attempt'])).toEqual(['1', '2', '3']);
    await flaky.close();
    await server.app.inject({
      method: 'DELETE',
      url: `/rest/event/subscription/${sub.uuid}`,
      headers: { authorization: `Bearer ${token}` },
    });
  });

  it('gives up after the last retry and marks the delivery failed; a silent receiver times out', async () => {
    const silent = new Receiver();
    silent.respond = (n) => (n === 1 ? 0 : 500);
    const { token } = await alice(server);
    const sub = await subscribe(server, token, {
      channel: 'webhook',
      types: ['batch.*'],
      url: await silent.ready(),
    });
    await emitBatches(server, ACME, 1);
    const [delivery] = await waitFor(
      () => deliveries(server, token, sub.uuid),
      (d) => d[0]?.state === 'failed',
      15_000,
    );
    expect(delivery!.attempts).toBe(6);
    expect(delivery!.attempt_log![0]).toMatchObject({ attempt: 1, status: null });
    expect(delivery!.attempt_log![0]!.error).toMatch(/timeout/);
    expect(delivery!.attempt_log!.slice(1).every((a) => a.status === 500)).toBe(true);
    await silent.close();
    await server.app.inject({
      method: 'DELETE',
      url: `/rest/event/subscription/${sub.uuid}`,
      headers: { authorization: `Bearer ${token}` },
    });
  }, 20_000);

  it('does not deliver to inactive subscriptions or other accounts', async () => {
    const quiet = new Receiver();
    const { token } = await alice(server);
    const sub = await subscribe(server, token, {
      channel: 'webhook',
      types: ['*'],
      url: await quiet.ready(),
      is_active: false,
    });
    await emitBatches(server, ACME, 2);
    await emitBatches(server, (await import('./realtime-helpers.js')).BAYSIDE, 2);
    await sleep(200);
    expect(quiet.received).toEqual([]);
    expect(await deliveries(server, token, sub.uuid)).toEqual([]);
    await quiet.close();
  });
});

describe('a slow receiver', () => {
  it('holds one delivery slot, not the queue: other subscriptions are delivered meanwhile', async () => {
    const server = await startTestServer({ fastArgon2: true, webhooks: { timeoutMs: 3000 } });
    const slow = new Receiver();
    slow.respond = () => 0;
    const fast = new Receiver();
    try {
      const { token } = await alice(server);
      await subscribe(server, token, { channel: 'webhook', types: ['*'], url: await slow.ready() });
      const [seq] = await emitBatches(server, ACME, 1);
      await slow.until(1);
      await subscribe(server, token, { channel: 'webhook', types: ['*'], url: await fast.ready() });
      const started = Date.now();
      const [next] = await emitBatches(server, ACME, 1);
      const [got] = await fast.until(1, 2500);
      expect(JSON.parse(got!.body).seq).toBe(next);
      expect(Date.now() - started).toBeLessThan(2500);
      expect(next).toBe(seq! + 1);
    } finally {
      await server.close();
      await slow.close();
      await fast.close();
    }
  }, 20_000);
});

describe('a pending delivery survives a restart', () => {
  it('is delivered by the next server over the same data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callwire-webhooks-'));
    const schema = `t_restart_${Date.now().toString(36)}`;
    const storage = TEST_DATABASE_URL === undefined ? { dataDir: dir } : { databaseSchema: schema };
    const options = {
      fastArgon2: true,
      ...storage,
      webhooks: { timeoutMs: 300, backoffMs: [400, 400, 400, 400, 400] },
    };
    // The receiver's port is reserved, then the receiver is down for the first server's attempt.
    const probe = new Receiver();
    const url = await probe.ready();
    const port = Number(new URL(url).port);
    await probe.close();
    let first: RunningServer | undefined = await startTestServer(options);
    let second: RunningServer | undefined;
    let receiver: Receiver | undefined;
    try {
      const { token } = await alice(first);
      const sub = await subscribe(first, token, { channel: 'webhook', types: ['batch.*'], url });
      const [seq] = await emitBatches(first, ACME, 1);
      await waitFor(
        () => deliveries(first!, token, sub.uuid),
        (d) => d[0]?.attempts === 1,
      );
      await first.close();
      first = undefined;
      receiver = new Receiver(port);
      await receiver.ready();
      second = await startTestServer(options);
      const [got] = await receiver.until(1);
      expect(JSON.parse(got!.body).seq).toBe(seq);
      const again = await alice(second);
      const [delivery] = await waitFor(
        () => deliveries(second!, again.token, sub.uuid),
        (d) => d[0]?.state === 'delivered',
      );
      expect(delivery!.attempts).toBe(2);
      expect(delivery!.attempt_log![0]!.status).toBeNull();
    } finally {
      await first?.close();
      await second?.close();
      await receiver?.close();
      rmSync(dir, { recursive: true, force: true });
      await dropSchema(schema);
    }
  }, 30_000);
});
