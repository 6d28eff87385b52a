import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, ACME_NUMBERS, BAYSIDE, BAYSIDE_NUMBERS, Harness } from './telephony-harness.js';

describe('billing and event ordering under concurrency', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('50 concurrent SMS against a balance for exactly 10: 10 sent, 40 refused with 402, balance exactly 0', async () => {
    await h.setBalanceMicros(ACME, 10 * 7_500);
    await h.token('alice', ACME);
    const seq = await h.lastSeq(ACME);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.as('alice', ACME, 'POST', '/rest/sms', {
          from: ACME_NUMBERS[0],
          to: '+12125550123',
          message: `n${i}`,
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(40);
    for (const r of results.filter((x) => x.status === 402)) expect(r.body.code).toBe('insufficient_balance');
    expect(await h.balanceMicros(ACME)).toBe(0);
    const events = await h.events(ACME, seq);
    expect(events.filter((e) => e.type === 'sms.created')).toHaveLength(10);
    const balances = events.filter((e) => e.type === 'account.balance.changed').map((e) => e.payload.balance);
    expect(balances).toHaveLength(10);
    expect(balances.at(-1)).toBe(0);
    // A call needs a minute's worth of balance: refused now.
    expect(
      (await h.as('alice', ACME, 'POST', '/rest/call', { from: ACME_NUMBERS[0], to: '+12125550123' })).status,
    ).toBe(402);
    await h.settle();
    expect(await h.balanceMicros(ACME)).toBe(0);
  });

  it('concurrent first messages to one recipient keep one sticky sender', async () => {
    const { DEMO_TELEPHONY } = await import('../src/telephony/seed.js');
    await h.token('bob', BAYSIDE);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.as<{ from: string }>('bob', BAYSIDE, 'POST', '/rest/sms', {
          from_pool: DEMO_TELEPHONY.bayside!.profile,
          to: '+16175550100',
          message: 'hello',
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 202));
    expect(new Set(results.map((r) => r.body.payload.from)).size).toBe(1);
  });

  it('racing rapid-response requests for one callee: exactly one is queued', async () => {
    await h.token('bob', BAYSIDE);
    const body = { callee: '+16175550199', whisper_text: 'Hot lead', agent: '+16175550198' };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => h.as('bob', BAYSIDE, 'POST', '/rest/voice/rapidresponse', body)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('racing hangups of one call: one call.hangup, one charge', async () => {
    await h.settle(); // calls of earlier tests end first, so only this call's charge is counted
    await h.token('bob', BAYSIDE);
    const created = await h.as<{ uuid: string }>('bob', BAYSIDE, 'POST', '/rest/call', {
      from: BAYSIDE_NUMBERS[0],
      to: '+16175550177',
      talk_secs: 90,
    });
    await h.advance(2000);
    const before = await h.balanceMicros(BAYSIDE);
    const seq = await h.lastSeq(BAYSIDE);
    await h.clock.advance(30_000);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        h.as('bob', BAYSIDE, 'POST', `/rest/call/${created.body.payload.uuid}/hangup`),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    await h.advance(200);
    const types = await h.typesFor(BAYSIDE, created.body.payload.uuid, seq);
    expect(types).toEqual(['call.hangup', 'call.destroyed']);
    expect(await h.balanceMicros(BAYSIDE)).toBe(before - 13_000);
  });

  it('20 concurrent writers produce per-account seqs 1..N with no gaps or repeats', async () => {
    const before = await h.events(BAYSIDE);
    await h.token('bob', BAYSIDE);
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        h.as('bob', BAYSIDE, 'POST', '/rest/sms', {
          from: BAYSIDE_NUMBERS[i % 2],
          to: '+12125550123',
          message: `w${i}`,
        }),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        h.as('bob', BAYSIDE, 'POST', '/rest/call', {
          from: BAYSIDE_NUMBERS[0],
          to: `+1212555${String(2000 + i)}`,
          talk_secs: 1,
        }),
      ),
    ]);
    await h.settle();
    const all = await h.events(BAYSIDE);
    expect(all.length).toBeGreaterThan(before.length + 20 * 2);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  });
});
