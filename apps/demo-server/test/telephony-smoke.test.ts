import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, ACME_NUMBERS, Harness } from './telephony-harness.js';

describe('telephony smoke', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends an SMS through its lifecycle', async () => {
    const res = await h.as('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '+12125550123',
      message: 'hi',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const payload = res.body.payload as { uuid: string };
    await h.advance(5000);
    expect(await h.typesFor(ACME, payload.uuid)).toEqual(['sms.created', 'sms.sent', 'sms.delivered']);
  });
});
