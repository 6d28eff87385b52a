import type { Call, Sms } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepStore } from '../src/telephony/sim/step-store.js';
import { ACME, ACME_NUMBERS, Harness } from './telephony-harness.js';

describe('the simulated network’s worker', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps one timer for its earliest step, however many steps are pending, and runs them all', async () => {
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
          from: ACME_NUMBERS[0],
          to: `+1212555${1000 + i}`,
          message: 'hi',
        }),
      ),
    );
    const calls = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        h.as<Call>('alice', ACME, 'POST', '/rest/call', { from: ACME_NUMBERS[0], to: `+1212556${1000 + i}` }),
      ),
    );
    await h.telephony.sim.idle();
    expect(await h.telephony.steps.pending()).toBeGreaterThanOrEqual(20 * 3 + 5);
    expect(h.clock.pending).toBe(1);
    await h.settle();
    expect(await h.telephony.steps.pending()).toBe(0);
    expect(h.clock.pending).toBe(0);
    for (const s of sent) {
      const sms = await h.as<Sms>('alice', ACME, 'GET', `/rest/sms/${s.body.payload.uuid}`);
      expect(sms.body.payload.state).toBe('delivered');
    }
    for (const c of calls) {
      const call = await h.as<Call>('alice', ACME, 'GET', `/rest/call/${c.body.payload.uuid}`);
      expect(call.body.payload.state).toBe('destroyed');
    }
  });

  it('runs a call placed while it looks up when to wake next', async () => {
    // The worker's own store (on PostgreSQL it has connections of its own) is reached through
    // the class: only the worker asks when the next step is due.
    const { nextDue } = StepStore.prototype;
    const place = (to: string) =>
      h.as<Call>('alice', ACME, 'POST', '/rest/call', { from: ACME_NUMBERS[0], to, talk_secs: 30 });
    let second: ReturnType<typeof place> | undefined;
    // The second call is placed (and its first step is due at once) just as the worker, done with
    // the first call's ring, asks when its next step is due.
    StepStore.prototype.nextDue = async function (this: StepStore, ...args) {
      StepStore.prototype.nextDue = nextDue;
      second = place('+12125562002');
      await second;
      return nextDue.apply(this, args);
    };
    try {
      const first = await place('+12125562001');
      await h.telephony.sim.idle();
      expect(second).toBeDefined();
      await h.advance(2000);
      for (const c of [first, await second!]) {
        const call = await h.as<Call>('alice', ACME, 'GET', `/rest/call/${c.body.payload.uuid}`);
        expect(call.body.payload.state).toBe('live');
      }
    } finally {
      StepStore.prototype.nextDue = nextDue;
    }
  });
});
