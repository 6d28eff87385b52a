import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, Call, Sms } from '@callwire/types';
import { afterAll, describe, expect, it } from 'vitest';
import { callCostMicros, smsCostMicros } from '../src/telephony/money.js';
import { ManualClock } from '../src/telephony/sim/clock.js';
import { ACME, ACME_NUMBERS, Harness } from './telephony-harness.js';

describe('the simulator after downtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callwire-telephony-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every overdue step in order: calls end as planned, messages arrive, batches finish, billed once', async () => {
    const first = await Harness.start({ dataDir: dir, memory: false });
    const before = await first.balanceMicros(ACME);
    const call = await first.as<Call>('alice', ACME, 'POST', '/rest/call', {
      from: ACME_NUMBERS[0],
      to: '+12125550123',
      talk_secs: 600,
    });
    const sms = await first.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '+12125550124',
      message: 'hi',
    });
    const batch = await first.as<Batch>('alice', ACME, 'POST', '/rest/batch', {
      from: ACME_NUMBERS[0],
      phones: ['+12125550125', '+12125550126'],
      concurrency: 1,
      talk_secs: 30,
    });
    await first.advance(2000);
    expect(
      (await first.as<Call>('alice', ACME, 'GET', `/rest/call/${call.body.payload.uuid}`)).body.payload.state,
    ).toBe('live');
    // The server stops with everything in flight; it comes back an hour later, on the same data.
    await first.server.close();

    const later = new ManualClock(first.clock.now() + 3_600_000);
    const second = await Harness.start({
      dataDir: dir,
      memory: false,
      clock: later,
      ...(first.server.config.databaseSchema === undefined
        ? {}
        : { databaseSchema: first.server.config.databaseSchema }),
    });
    try {
      await second.settle();
      const c = (await second.as<Call>('alice', ACME, 'GET', `/rest/call/${call.body.payload.uuid}`)).body
        .payload;
      // Its hangup came due while nothing ran: it ends with the talk time it was given.
      expect(c).toMatchObject({ state: 'destroyed', q850_cause: 16, duration: 600 });
      const s = (await second.as<Sms>('alice', ACME, 'GET', `/rest/sms/${sms.body.payload.uuid}`)).body
        .payload;
      expect(s.state).toBe('delivered');
      const b = (await second.as<Batch>('alice', ACME, 'GET', `/rest/batch/${batch.body.payload.uuid}`)).body
        .payload;
      expect(b).toMatchObject({ state: 'completed', completed: 2, failed: 0 });
      const spent = callCostMicros(600) + smsCostMicros(1) + 2 * callCostMicros(30);
      expect(await second.balanceMicros(ACME)).toBe(before - spent);
      const events = await second.events(ACME);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
      expect(await second.typesFor(ACME, call.body.payload.uuid)).toEqual([
        'call.initiated',
        'call.ringing',
        'call.answered',
        'call.live',
        'call.hangup',
        'call.destroyed',
      ]);
      expect(await second.telephony.steps.pending()).toBe(0);
    } finally {
      await second.close();
    }
  });
});
