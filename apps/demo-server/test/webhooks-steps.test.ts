import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { dropSchema, startTestServer, TEST_DATABASE_URL } from './helpers/test-server.js';
import { Receiver } from './helpers/webhook-receiver.js';
import { ACME, alice, emitBatches, sleep } from './realtime-helpers.js';
import { ACME_NUMBERS } from './telephony-harness.js';

async function inject<T>(
  server: RunningServer,
  token: string,
  method: 'GET' | 'POST',
  url: string,
  body?: object,
) {
  const res = await server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body }),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json().payload as T;
}

/** Polls `check` (real time: these servers run on the real clock) until it holds. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

interface DeliveryRow {
  uuid: string;
  state: string;
  attempts: number;
}

async function deliveryRows(server: RunningServer): Promise<DeliveryRow[]> {
  const { rows } = await sql<DeliveryRow>`select uuid, state, attempts from webhook_delivery`.execute(
    server.ctx.db,
  );
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts) }));
}

const receivers: Receiver[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const r of receivers.splice(0)) await r.close();
});

describe('webhook deliveries share the step worker with the simulated network', () => {
  it('while every delivery slot waits on a receiver that never answers, messages sent meanwhile run their whole lifecycle', async () => {
    const server = await startTestServer({ fastArgon2: true, simSpeed: 1000, webhooks: { timeoutMs: 8000 } });
    servers.push(server);
    const silent = new Receiver();
    receivers.push(silent);
    silent.respond = () => 0;
    const { token } = await alice(server);
    await inject(server, token, 'POST', '/rest/event/subscription', {
      channel: 'webhook',
      types: ['batch.*'],
      url: await silent.ready(),
    });
    // Nine deliveries for eight slots, due together: eight requests hang, the ninth waits for a slot.
    await emitBatches(server, ACME, 9, { oneTransaction: true });
    await silent.until(8);

    const sent = await Promise.all(
      [0, 1, 2].map((i) =>
        inject<{ uuid: string }>(server, token, 'POST', '/rest/sms', {
          from: ACME_NUMBERS[0],
          to: `+1212555${String(2000 + i)}`,
          message: `while the receiver hangs ${i}`,
        }),
      ),
    );
    await until(
      async () => {
        const states = await Promise.all(
          sent.map((s) => inject<{ state: string }>(server, token, 'GET', `/rest/sms/${s.uuid}`)),
        );
        return states.every((s) => s.state === 'delivered');
      },
      6000,
      'the messages delivered',
    );
    // The messages finished while every attempt was still waiting on the receiver.
    const deliveries = await deliveryRows(server);
    expect(deliveries).toHaveLength(9);
    expect(deliveries.every((d) => d.state === 'pending' && d.attempts === 0)).toBe(true);
    expect(silent.received).toHaveLength(8);
  }, 20_000);
});

describe('a graceful stop in the middle of a send', () => {
  it('gives the delivery back uncounted, and the next server delivers it as the same attempt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callwire-webhook-stop-'));
    const schema = `whs_${randomBytes(6).toString('hex')}`;
    const where = TEST_DATABASE_URL === undefined ? { dataDir: dir } : { databaseSchema: schema };
    const receiver = new Receiver();
    receivers.push(receiver);
    receiver.respond = () => 0;
    try {
      const first = await startTestServer({ fastArgon2: true, ...where, webhooks: { timeoutMs: 8000 } });
      const { token } = await alice(first);
      const sub = await inject<{ uuid: string }>(first, token, 'POST', '/rest/event/subscription', {
        channel: 'webhook',
        types: ['batch.*'],
        url: await receiver.ready(),
      });
      await emitBatches(first, ACME, 1);
      await receiver.until(1);
      // Shutdown waits its grace time, then aborts the send: not the receiver's failure.
      await first.close();
      receiver.respond = () => 204;
      const second = await startTestServer({ fastArgon2: true, ...where });
      servers.push(second);
      await receiver.until(2);
      const again = await alice(second);
      let delivery:
        | { state: string; attempts: number; attempt_log: { attempt: number; status: number | null }[] }
        | undefined;
      await until(
        async () => {
          const page = await inject<{ data: NonNullable<typeof delivery>[] }>(
            second,
            again.token,
            'GET',
            `/rest/event/subscription/${sub.uuid}/deliveries`,
          );
          delivery = page.data[0];
          return delivery?.state === 'delivered';
        },
        5000,
        'the delivery delivered',
      );
      expect(delivery?.attempt_log.map((a) => [a.attempt, a.status])).toEqual([[1, 204]]);
      expect(receiver.received.map((r) => r.headers['callwire-attempt'])).toEqual(['1', '1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await dropSchema(schema);
    }
  }, 20_000);
});

describe.runIf(TEST_DATABASE_URL !== undefined)('two instances racing over the same deliveries', () => {
  const schema = `wh_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    await dropSchema(schema);
  });

  it('send every attempt exactly once, and record each once', async () => {
    const a = await startTestServer({ fastArgon2: true, simSpeed: 1000, databaseSchema: schema });
    servers.push(a);
    const b = await startTestServer({
      fastArgon2: true,
      simSpeed: 1000,
      databaseSchema: schema,
      seed: false,
    });
    servers.push(b);
    const receiver = new Receiver();
    receivers.push(receiver);
    // Every delivery's first attempt fails, so its retry is planned by whichever instance sent it.
    const seen = new Map<string, number>();
    receiver.respond = (n) => {
      const got = receiver.received[n - 1]!;
      const key = `${String(got.headers['callwire-delivery-id'])}#${String(got.headers['callwire-attempt'])}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      return got.headers['callwire-attempt'] === '1' ? 503 : 204;
    };
    const { token } = await alice(a);
    await inject(a, token, 'POST', '/rest/event/subscription', {
      channel: 'webhook',
      types: ['batch.*'],
      url: await receiver.ready(),
    });
    await Promise.all([
      emitBatches(a, ACME, 60, { oneTransaction: true }),
      emitBatches(b, ACME, 60, { oneTransaction: true }),
    ]);
    await until(
      async () => {
        const rows = await deliveryRows(a);
        return rows.length === 120 && rows.every((d) => d.state === 'delivered');
      },
      20_000,
      'every delivery delivered',
    );
    const rows = await deliveryRows(b);
    expect(rows.every((d) => d.attempts === 2)).toBe(true);
    const { rows: attempts } = await sql<{ n: string }>`select count(*) as n from webhook_attempt`.execute(
      a.ctx.db,
    );
    expect(Number(attempts[0]?.n)).toBe(240);
    expect(seen.size).toBe(240);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const { rows: left } = await sql<{ n: string }>`
      select count(*) as n from sim_step where kind = 'webhook.delivery'`.execute(a.ctx.db);
    expect(Number(left[0]?.n)).toBe(0);
  }, 40_000);
});
