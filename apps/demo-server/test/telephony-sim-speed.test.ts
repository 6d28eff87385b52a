import type { Call, Sms } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, ACME_NUMBERS, Harness } from './telephony-harness.js';

describe('--sim-speed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ simSpeed: 10 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs ringing, talk time and SMS delivery ten times faster, reporting simulated durations', async () => {
    const t0 = h.clock.now();
    const call = await h.as<Call>('alice', ACME, 'POST', '/rest/call', {
      from: ACME_NUMBERS[0],
      to: '+12125550410',
      talk_secs: 30,
    });
    const sms = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '+12125550411',
      message: 'fast',
    });
    // 2 s ringing + 30 s talk + 0.1 s teardown of simulated time is 3.21 s on the clock.
    await h.clock.advance(3210, () => h.telephony.sim.idle());
    expect(h.clock.now() - t0).toBe(3210);
    const done = (await h.as<Call>('alice', ACME, 'GET', `/rest/call/${call.body.payload.uuid}`)).body
      .payload;
    expect(done).toMatchObject({ state: 'destroyed', duration: 30, cost: 0.013 });
    expect(Date.parse(done.answer_on!) - Date.parse(done.ring_on!)).toBe(200);
    expect(
      (await h.as<Sms>('alice', ACME, 'GET', `/rest/sms/${sms.body.payload.uuid}`)).body.payload.state,
    ).toBe('delivered');
  });
});
