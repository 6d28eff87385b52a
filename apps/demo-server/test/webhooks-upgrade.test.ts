import { randomUUID } from 'node:crypto';
import { WebhookDeliverySchema } from '@callwire/types';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { storageBefore } from './helpers/storage-before.js';
import { startTestServer } from './helpers/test-server.js';
import { Receiver } from './helpers/webhook-receiver.js';
import { ACME, alice, sleep } from './realtime-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('upgrading a database with webhook deliveries waiting for a retry', () => {
  it('sends each pending delivery as its next attempt after the upgrade, and leaves finished ones alone', async () => {
    const receiver = new Receiver();
    cleanups.push(() => receiver.close());
    const url = await receiver.ready();

    // A database as the previous version left it: deliveries queued in their own table, one of them
    // claimed by a worker that is gone.
    const { old, startWith } = await storageBefore('008', cleanups);
    const subscription = randomUUID();
    const pending = randomUUID();
    const delivered = randomUUID();
    const past = new Date(Date.now() - 60_000).toISOString();
    const future = new Date(Date.now() + 600_000).toISOString();
    await sql`insert into event_subscription
      (uuid, account_id, user_id, created_by, channel, types, url, is_active, expired_on, signing_secret, created_on, modified_on, deleted_on)
      values (${subscription}, ${ACME}, null, 'upgrade-test', 'webhook', '["batch.*"]', ${url}, 1, null, 'whsec_upgrade', ${past}, ${past}, null)`.execute(
      old.db,
    );
    for (const [uuid, state, attempts, next, lock] of [
      [pending, 'pending', 1, past, future],
      [delivered, 'delivered', 1, null, null],
    ] as const) {
      await sql`insert into webhook_delivery
        (uuid, subscription_id, account_id, event_id, event_type, seq, body, state, attempts, last_status, last_error, next_attempt_on, locked_until, created_on, modified_on)
        values (${uuid}, ${subscription}, ${ACME}, ${randomUUID()}, 'batch.updated', 1, '{"upgrade":true}', ${state}, ${attempts}, 503, 'HTTP 503', ${next}, ${lock}, ${past}, ${past})`.execute(
        old.db,
      );
    }
    await old.close();

    const server: RunningServer = await startTestServer({
      fastArgon2: true,
      ...startWith,
    });
    cleanups.push(() => server.close());
    const [got] = await receiver.until(1);
    expect(got!.headers['callwire-delivery-id']).toBe(pending);
    expect(got!.headers['callwire-attempt']).toBe('2');
    expect(got!.body).toBe('{"upgrade":true}');

    const { token } = await alice(server);
    let list: ReturnType<typeof WebhookDeliverySchema.parse>[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await server.app.inject({
        method: 'GET',
        url: `/rest/event/subscription/${subscription}/deliveries`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      list = (res.json().payload.data as unknown[]).map((d) => WebhookDeliverySchema.parse(d));
      if (list.find((d) => d.uuid === pending)?.state === 'delivered') break;
      await sleep(20);
    }
    expect(list.find((d) => d.uuid === pending)).toMatchObject({
      state: 'delivered',
      attempts: 2,
      last_status: 200,
    });
    expect(list.find((d) => d.uuid === delivered)).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(receiver.received).toHaveLength(1);
  });
});
