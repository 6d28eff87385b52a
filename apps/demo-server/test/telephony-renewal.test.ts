import type { Lease } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENEWAL_PERIOD_MS } from '../src/telephony/money.js';
import { ACME, ACME_NUMBERS, BAYSIDE, BAYSIDE_NUMBERS, Harness } from './telephony-harness.js';

describe('monthly renewal of numbers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('charges 1.00 a month for autorenew numbers, and releases the others or those the balance cannot cover', async () => {
    await h.as('alice', ACME, 'PATCH', `/rest/lease/tn/${ACME_NUMBERS[1]}`, { autorenew: false });
    await h.setBalanceMicros(BAYSIDE, 1_500_000);
    const acmeBefore = await h.balanceMicros(ACME);
    const acmeSeq = await h.lastSeq(ACME);
    const baySeq = await h.lastSeq(BAYSIDE);

    await h.clock.advance(RENEWAL_PERIOD_MS - 1000);
    expect(await h.telephony.renewals.runDue()).toBe(0);
    await h.clock.advance(1000);
    expect(await h.telephony.renewals.runDue()).toBe(4);
    h.tokens.clear(); // a month later, the sessions have expired

    // Acme: the autorenew number is charged; the other one is released.
    expect(await h.balanceMicros(ACME)).toBe(acmeBefore - 1_000_000);
    const acme = (await h.events(ACME, acmeSeq)).map((e) => [e.type, e.message]);
    expect(acme).toEqual(
      expect.arrayContaining([
        ['tn.updated', `TN ${ACME_NUMBERS[0]} - renewed for a month`],
        ['tn.released', `TN ${ACME_NUMBERS[1]} - not renewed (autorenew is off)`],
        ['account.balance.changed', expect.any(String)],
      ]),
    );
    const leases = await h.as<{ data: Lease[] }>('alice', ACME, 'POST', '/rest/lease/tn/search', {});
    expect(leases.body.payload.data.map((l) => l.tn)).toEqual([ACME_NUMBERS[0]]);

    // Bayside: 1.50 covers one of its two numbers; the second is released for lack of balance.
    expect(await h.balanceMicros(BAYSIDE)).toBe(500_000);
    const bay = (await h.events(BAYSIDE, baySeq)).filter((e) => e.type.startsWith('tn.')).map((e) => e.type);
    expect(bay.sort()).toEqual(['tn.released', 'tn.updated']);
    const left = await h.as<{ data: Lease[] }>('bob', BAYSIDE, 'POST', '/rest/lease/tn/search', {});
    expect(left.body.payload.data).toHaveLength(1);
    expect([...BAYSIDE_NUMBERS]).toContain(left.body.payload.data[0]!.tn);

    // Nothing is due again until the next month is over.
    expect(await h.telephony.renewals.runDue()).toBe(0);
  });
});
