import type { MessagingProfile, Sms } from '@callwire/types';
import { SmsSchema } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TELEPHONY } from '../src/telephony/seed.js';
import { ACME, ACME_NUMBERS, BAYSIDE, BAYSIDE_NUMBERS, Harness } from './telephony-harness.js';

describe('messaging', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends from a number: created → sending → sent → delivered, with segments, cost and events', async () => {
    const seq = await h.lastSeq(ACME);
    const before = await h.balanceMicros(ACME);
    const message = 'x'.repeat(161);
    const res = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '2125550123',
      message,
    });
    expect(res.status).toBe(202);
    const sms = SmsSchema.parse(res.body.payload);
    expect(sms).toMatchObject({
      type: 'smso',
      state: 'created',
      to: '+12125550123',
      delivered: false,
      segments: 2,
      cost: 0.015,
    });
    expect(await h.balanceMicros(ACME)).toBe(before - 15_000);
    await h.advance(100);
    expect((await h.as<Sms>('alice', ACME, 'GET', `/rest/sms/${sms.uuid}`)).body.payload.state).toBe(
      'sending',
    );
    await h.advance(900);
    expect((await h.as<Sms>('alice', ACME, 'GET', `/rest/sms/${sms.uuid}`)).body.payload.state).toBe('sent');
    await h.advance(2000);
    const final = (await h.as<Sms>('alice', ACME, 'GET', `/rest/sms/${sms.uuid}`)).body.payload;
    expect(final).toMatchObject({ state: 'delivered', delivered: true });
    const events = await h.events(ACME, seq);
    expect(events.map((e) => e.type)).toEqual([
      'sms.created',
      'account.balance.changed',
      'sms.sent',
      'sms.delivered',
    ]);
    expect(events[0]!.message).toBe(`SMS out ${ACME_NUMBERS[0]} > +12125550123 - created`);
    // The last event's payload is the resource as GET returns it.
    expect(events.at(-1)!.payload).toEqual(final);
    expect(events[1]!.payload).toMatchObject({ uuid: ACME, balance: (before - 15_000) / 1e6 });
  });

  it('fails a message the carrier cannot deliver: created → failed', async () => {
    const seq = await h.lastSeq(ACME);
    const res = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '+12125550404',
      message: 'hi',
    });
    expect(res.status).toBe(202);
    await h.advance(5000);
    const types = await h.typesFor(ACME, res.body.payload.uuid, seq);
    expect(types).toEqual(['sms.created', 'sms.failed']);
    const got = (await h.as<Sms>('alice', ACME, 'GET', `/rest/sms/${res.body.payload.uuid}`)).body.payload;
    expect(got.state).toBe('failed');
    expect(got.error).toMatch(/unallocated/);
  });

  it('delivers on-net: a message to a platform number arrives there as sms.received', async () => {
    const seq = await h.lastSeq(BAYSIDE);
    await h.as('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: BAYSIDE_NUMBERS[0],
      message: 'hello',
    });
    await h.advance(5000);
    const received = (await h.events(BAYSIDE, seq)).filter((e) => e.type === 'sms.received');
    expect(received).toHaveLength(1);
    expect(received[0]!.payload).toMatchObject({
      type: 'smsi',
      direction: 'in',
      from: ACME_NUMBERS[0],
      message: 'hello',
    });
  });

  it('gives messages, sent and received, time-ordered ids (UUID v7) whose time is their created_on', async () => {
    const seq = await h.lastSeq(BAYSIDE);
    const sent = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: BAYSIDE_NUMBERS[0],
      message: 'ids',
    });
    await h.advance(5000);
    const received = (await h.events(BAYSIDE, seq)).find((e) => e.type === 'sms.received');
    for (const sms of [sent.body.payload, received?.payload as Sms]) {
      expect(sms.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = Number.parseInt(sms.uuid.replace('-', '').slice(0, 12), 16);
      expect(new Date(ms).toISOString()).toBe(sms.created_on);
    }
  });

  it('sends from a messaging profile pool, keeping one sender per recipient (sticky sender)', async () => {
    const pool = DEMO_TELEPHONY.acme!.profile;
    const froms = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
        from_pool: pool,
        to: '+13055550100',
        message: `m${i}`,
      });
      expect(r.status).toBe(202);
      expect(r.body.payload.messaging_profile).toBe(pool);
      froms.add(r.body.payload.from);
    }
    expect(froms.size).toBe(1);
    expect([...ACME_NUMBERS]).toContain([...froms][0]);
    // Without sticky sender the pool rotates.
    await h.as('alice', ACME, 'PATCH', `/rest/profile/messaging/${pool}`, { sticky_sender: false });
    const rotated = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
        from_pool: pool,
        to: '+13055550100',
        message: 'r',
      });
      rotated.add(r.body.payload.from);
    }
    expect(rotated.size).toBe(2);
    // Without pooling the profile sends from one number only.
    await h.as('alice', ACME, 'PATCH', `/rest/profile/messaging/${pool}`, { number_pool_enable: false });
    const single = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
        from_pool: pool,
        to: '+13055550101',
        message: 's',
      });
      single.add(r.body.payload.from);
    }
    expect(single.size).toBe(1);
    await h.as('alice', ACME, 'PATCH', `/rest/profile/messaging/${pool}`, {
      sticky_sender: true,
      number_pool_enable: true,
    });
  });

  it('refuses bad senders and bodies', async () => {
    const both = await h.as('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      from_pool: DEMO_TELEPHONY.acme!.profile,
      to: '+12125550123',
      message: 'x',
    });
    expect(both.status).toBe(400);
    const neither = await h.as('alice', ACME, 'POST', '/rest/sms', { to: '+12125550123', message: 'x' });
    expect(neither.status).toBe(400);
    const notOurs = await h.as('alice', ACME, 'POST', '/rest/sms', {
      from: BAYSIDE_NUMBERS[0],
      to: '+12125550123',
      message: 'x',
    });
    expect(notOurs.status).toBe(400);
    expect(notOurs.body.fields?.['body.from']).toBeDefined();
    const badTo = await h.as('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '12',
      message: 'x',
    });
    expect(badTo.status).toBe(400);
    expect(badTo.body.fields?.['body.to']).toBeDefined();
    const tooLong = await h.as('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '+12125550123',
      message: 'x'.repeat(919),
    });
    expect(tooLong.status).toBe(400);
    const otherPool = await h.as('alice', ACME, 'POST', '/rest/sms', {
      from_pool: DEMO_TELEPHONY.bayside!.profile,
      to: '+12125550123',
      message: 'x',
    });
    expect(otherPool.status).toBe(404);
  });

  it('refuses a number that is not the account’s, or has SMS off, leaving no message, charge or event', async () => {
    const tn = ACME_NUMBERS[1] as string;
    const send = (from: string) =>
      h.as<Sms>('alice', ACME, 'POST', '/rest/sms', { from, to: '+12125550123', message: 'hi' });
    const total = async () =>
      (await h.as<{ total: number }>('alice', ACME, 'POST', '/rest/sms/search?take=1', {})).body.payload
        .total;
    const [seq, balance, messages] = [await h.lastSeq(ACME), await h.balanceMicros(ACME), await total()];

    const notOurs = await send(BAYSIDE_NUMBERS[0] as string);
    expect(notOurs.status).toBe(400);
    expect(notOurs.body.fields?.['body.from']?.message).toBe('is not a number of this account');
    expect((await h.as('alice', ACME, 'DELETE', `/rest/lease/tn/${tn}/subscription/sms`)).status).toBe(200);
    const smsOff = await send(tn);
    expect(smsOff.status).toBe(400);
    expect(smsOff.body.fields?.['body.from']?.message).toBe('does not have SMS enabled');
    expect(await total()).toBe(messages);
    expect(await h.balanceMicros(ACME)).toBe(balance);
    expect((await h.events(ACME, seq)).map((e) => e.type)).not.toContain('sms.created');

    // Back on, with a profile: the message goes out under the number's profile.
    const profile = DEMO_TELEPHONY.acme!.profile;
    const on = await h.as('alice', ACME, 'POST', `/rest/lease/tn/${tn}/subscription/sms`, {
      messaging_profile: profile,
    });
    expect(on.status).toBe(200);
    const sent = await send(tn);
    expect(sent.status).toBe(202);
    expect(sent.body.payload).toMatchObject({ from: tn, messaging_profile: profile });
    expect(await total()).toBe(messages + 1);
  });

  it('simulates inbound SMS for admins only', async () => {
    const seq = await h.lastSeq(ACME);
    const res = await h.as<Sms>('alice', ACME, 'POST', '/rest/simulate/sms', {
      from: '+12125550199',
      to: ACME_NUMBERS[1],
      message: 'Is the office open?',
    });
    expect(res.status).toBe(201);
    expect(res.body.payload).toMatchObject({ type: 'smsi', direction: 'in', state: 'received' });
    expect((await h.events(ACME, seq)).map((e) => e.type)).toEqual(['sms.received']);
    const manager = await h.as('bob', ACME, 'POST', '/rest/simulate/sms', {
      from: '+12125550199',
      to: ACME_NUMBERS[1],
      message: 'x',
    });
    expect(manager.status).toBe(403);
    const notOurs = await h.as('alice', ACME, 'POST', '/rest/simulate/sms', {
      from: '+12125550199',
      to: BAYSIDE_NUMBERS[1],
      message: 'x',
    });
    expect(notOurs.status).toBe(400);
  });

  it('searches the SMS log with filters and windows', async () => {
    const out = await h.as<{ total: number; take: number; skip: number; data: Sms[] }>(
      'alice',
      ACME,
      'POST',
      '/rest/sms/search?take=2',
      {
        direction: 'out',
      },
    );
    expect(out.status).toBe(200);
    expect(out.body.payload.take).toBe(2);
    expect(out.body.payload.data).toHaveLength(2);
    expect(out.body.payload.total).toBeGreaterThan(2);
    for (const s of out.body.payload.data) expect(s.direction).toBe('out');
    const failed = await h.as<{ data: Sms[] }>('alice', ACME, 'POST', '/rest/sms/search', {
      state: 'failed',
    });
    expect(failed.body.payload.data.every((s) => s.state === 'failed')).toBe(true);
    const future = await h.as<{ total: number }>('alice', ACME, 'POST', '/rest/sms/search', {
      created_on_from: '2030-01-01T00:00:00.000Z',
    });
    expect(future.body.payload.total).toBe(0);
    const to = await h.as<{ data: Sms[] }>('alice', ACME, 'POST', '/rest/sms/search', { to: '2125550404' });
    expect(to.body.payload.data.length).toBe(1);
    expect((await h.as('alice', ACME, 'POST', '/rest/sms/search?take=101', {})).status).toBe(400);
  });

  it('keeps messaging profiles', async () => {
    const created = await h.as<MessagingProfile>('bob', BAYSIDE, 'POST', '/rest/profile/messaging', {
      name: 'Listings',
      callback_url: 'https://example.com/hook',
    });
    expect(created.status).toBe(201);
    expect(created.body.payload).toMatchObject({
      name: 'Listings',
      number_pool_enable: true,
      sticky_sender: false,
    });
    const id = created.body.payload.uuid;
    const list = await h.as<{ total: number }>('dave', BAYSIDE, 'GET', '/rest/profile/messaging');
    expect(list.body.payload.total).toBe(2);
    expect(
      (await h.as('dave', BAYSIDE, 'PATCH', `/rest/profile/messaging/${id}`, { name: 'x' })).status,
    ).toBe(403);
    expect((await h.as('alice', ACME, 'GET', `/rest/profile/messaging/${id}`)).status).toBe(404);
    expect((await h.as('bob', BAYSIDE, 'DELETE', `/rest/profile/messaging/${id}`)).status).toBe(204);
  });

  it('lets a viewer read but not send, and hides other accounts’ messages behind 404', async () => {
    const sent = await h.as<Sms>('bob', BAYSIDE, 'POST', '/rest/sms', {
      from: BAYSIDE_NUMBERS[0],
      to: '+12125550123',
      message: 'x',
    });
    expect(sent.status).toBe(202);
    const viewer = await h.as('dave', BAYSIDE, 'POST', '/rest/sms', {
      from: BAYSIDE_NUMBERS[0],
      to: '+12125550123',
      message: 'x',
    });
    expect(viewer.status).toBe(403);
    expect((await h.as('dave', BAYSIDE, 'GET', `/rest/sms/${sent.body.payload.uuid}`)).status).toBe(200);
    expect((await h.as('alice', ACME, 'GET', `/rest/sms/${sent.body.payload.uuid}`)).status).toBe(404);
  });

  it('replays POST /rest/sms with the same Idempotency-Key: one message, one charge', async () => {
    const before = await h.balanceMicros(ACME);
    const body = { from: ACME_NUMBERS[0], to: '+12125550177', message: 'once' };
    const headers = { 'idempotency-key': 'sms-once-1' };
    const first = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', body, headers);
    const second = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', body, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.payload.uuid).toBe(first.body.payload.uuid);
    const search = await h.as<{ total: number }>('alice', ACME, 'POST', '/rest/sms/search', {
      to: '+12125550177',
    });
    expect(search.body.payload.total).toBe(1);
    expect(await h.balanceMicros(ACME)).toBe(before - 7_500);
    const conflict = await h.as('alice', ACME, 'POST', '/rest/sms', { ...body, message: 'other' }, headers);
    expect(conflict.status).toBe(409);
  });
});
