import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, hasBuiltServer, spawnServer } from './helpers/child-server.js';
import { basic, dropSchema, TEST_DATABASE_URL } from './helpers/test-server.js';
import { Receiver } from './helpers/webhook-receiver.js';
import { ACME_NUMBERS } from './telephony-harness.js';

const ALICE = basic('alice@example.com', 'alice-pass-1');

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: ALICE, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { payload: T; message?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.message ?? ''}`);
  return json.payload;
}

interface Delivery {
  uuid: string;
  state: string;
  attempts: number;
  attempt_log: { attempt: number; status: number | null }[];
}

/** Polls `check` (every 100 ms, real time: these are real processes) until it holds. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const running: ChildServer[] = [];
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.kill()));
  for (const r of receivers.splice(0)) await r.close();
});

/**
 * On `first`: a subscription to a receiver that does not answer yet and three messages, so three
 * deliveries are mid-send when `first` is killed (kill -9). Then the receiver answers and `next()`
 * starts the server that must finish them. Returns the deliveries once all are delivered, and the
 * requests the receiver saw.
 */
async function killMidSend(first: ChildServer, next: () => Promise<ChildServer>) {
  const receiver = new Receiver();
  receivers.push(receiver);
  receiver.respond = () => 0;
  const sub = await api<{ uuid: string }>(first.url, 'POST', '/rest/event/subscription', {
    channel: 'webhook',
    types: ['sms.created'],
    url: await receiver.ready(),
  });
  for (let i = 0; i < 3; i++) {
    await api(first.url, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: `+1212558${String(1000 + i)}`,
      message: `kill ${i}`,
    });
  }
  await receiver.until(3);
  await first.kill();
  receiver.respond = () => 204;
  const second = await next();
  running.push(second);
  let deliveries: Delivery[] = [];
  await until(async () => {
    deliveries = (
      await api<{ data: Delivery[] }>(second.url, 'GET', `/rest/event/subscription/${sub.uuid}/deliveries`)
    ).data;
    return deliveries.length === 3 && deliveries.every((d) => d.state === 'delivered');
  }, 15_000);
  return { deliveries, received: receiver.received };
}

function expectDeliveredOnceRecorded(deliveries: readonly Delivery[], received: Receiver['received']): void {
  // The killed instance's sends were never recorded: one attempt each, the one that was answered.
  for (const d of deliveries) {
    expect(d.attempts).toBe(1);
    expect(d.attempt_log.map((a) => [a.attempt, a.status])).toEqual([[1, 204]]);
  }
  // Each delivery reached the receiver twice as attempt 1: webhooks are at least once.
  const ids = received.map(
    (r) => `${String(r.headers['callwire-delivery-id'])}#${String(r.headers['callwire-attempt'])}`,
  );
  expect(ids).toHaveLength(6);
  expect(new Set(ids)).toEqual(new Set(deliveries.map((d) => `${d.uuid}#1`)));
}

describe.runIf(TEST_DATABASE_URL !== undefined && hasBuiltServer)(
  'webhook deliveries, two instances on one PostgreSQL database',
  () => {
    it('deliveries mid-send on an instance killed with kill -9 are delivered by the other instance', async () => {
      const schema = `whk_${randomBytes(6).toString('hex')}`;
      const env = { DATABASE_URL: TEST_DATABASE_URL as string, DATABASE_SCHEMA: schema };
      const args = ['--sim-speed', '20', '--rate-limit', '0'];
      try {
        const a = await spawnServer(args, env);
        running.push(a);
        const { deliveries, received } = await killMidSend(a, () => spawnServer(args, env));
        expectDeliveredOnceRecorded(deliveries, received);
      } finally {
        await Promise.all(running.splice(0).map((s) => s.kill()));
        await dropSchema(schema);
      }
    }, 40_000);
  },
);

// The embedded database is the same in both runs of the server suite: once is enough.
describe.runIf(hasBuiltServer && TEST_DATABASE_URL === undefined)(
  'webhook deliveries, one instance on the embedded database',
  () => {
    it('deliveries mid-send when the server is killed with kill -9 are delivered after it restarts on the same data folder', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'callwire-webhook-kill-'));
      const args = ['--sim-speed', '20', '--rate-limit', '0', '--data-dir', dir];
      try {
        const first = await spawnServer(args);
        running.push(first);
        const { deliveries, received } = await killMidSend(first, () => spawnServer(args));
        expectDeliveredOnceRecorded(deliveries, received);
      } finally {
        await Promise.all(running.splice(0).map((s) => s.kill()));
        rmSync(dir, { recursive: true, force: true });
      }
    }, 40_000);
  },
);
