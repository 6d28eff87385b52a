import type { Account, Lease, Order, TnProfile } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchInventory } from '../src/telephony/inventory.js';
import { DEMO_TELEPHONY } from '../src/telephony/seed.js';
import { ACME, ACME_NUMBERS, BAYSIDE, Harness } from './telephony-harness.js';

describe('numbers: inventory, orders, leases, TN profiles', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('searches the deterministic inventory with filters and paging, never offering leased numbers', async () => {
    const res = await h.as<{ total: number; data: { tn: string; features: string[]; setup_cost: number }[] }>(
      'alice',
      ACME,
      'POST',
      '/rest/tn/search?page=1&size=5',
      { country: 'US', npa: '201', features: ['sms'] },
    );
    expect(res.status).toBe(200);
    expect(res.body.payload.data).toHaveLength(5);
    for (const n of res.body.payload.data) {
      expect(n.tn.startsWith('+1201')).toBe(true);
      expect(n.features).toContain('sms');
      expect(n.setup_cost).toBe(1);
    }
    // The demo numbers are leased, so they are not offered.
    const all = await h.as<{ data: { tn: string }[] }>('alice', ACME, 'POST', '/rest/tn/search?size=100', {
      npa: '201',
    });
    expect(all.body.payload.data.map((n) => n.tn)).not.toContain(ACME_NUMBERS[0]);
    const pattern = await h.as<{ data: { tn: string }[] }>(
      'alice',
      ACME,
      'POST',
      '/rest/tn/search?size=100',
      {
        pattern: '*7',
      },
    );
    expect(pattern.body.payload.data.length).toBeGreaterThan(0);
    for (const n of pattern.body.payload.data) expect(n.tn.endsWith('7')).toBe(true);
    const bad = await h.as('alice', ACME, 'POST', '/rest/tn/search', { npa: '12' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.fields?.['body.npa']).toBeDefined();
  });

  it('GET /rest/account answers with the balance an order has just charged, not the one read before', async () => {
    const [free] = searchInventory({ npa: '415', features: ['voice'] }, { page: 1, size: 1 }).data;
    const account = async () => (await h.as<Account>('alice', ACME, 'GET', '/rest/account')).body.payload;
    // Read twice before the order, so the answer before it is one the server had already given.
    await account();
    const before = await account();
    const res = await h.as<Order>('alice', ACME, 'POST', '/rest/order', {
      items: [{ tn: free!.tn, features: ['voice'] }],
    });
    expect(res.status).toBe(202);
    await h.advance(1200);
    expect(
      (await h.as<Order>('alice', ACME, 'GET', `/rest/order/${res.body.payload.uuid}`)).body.payload,
    ).toMatchObject({ state: 'success', cost: 2 });
    expect((await account()).balance).toBe(before.balance - 2);
  });

  it('orders numbers asynchronously with per-item errors, charging setup + first month', async () => {
    const [free] = searchInventory({ npa: '312', features: ['voice', 'sms'] }, { page: 1, size: 1 }).data;
    const before = await h.balanceMicros(ACME);
    const seq = await h.lastSeq(ACME);
    const res = await h.as<Order>('alice', ACME, 'POST', '/rest/order', {
      items: [
        { tn: free!.tn, features: ['voice', 'sms'], autorenew: true },
        { tn: '+19995550123', features: ['voice'] },
        { tn: ACME_NUMBERS[0], features: ['voice'] },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body.payload.state).toBe('created');
    const uuid = res.body.payload.uuid;
    await h.advance(200);
    expect((await h.as<Order>('alice', ACME, 'GET', `/rest/order/${uuid}`)).body.payload.state).toBe(
      'processing',
    );
    await h.advance(1000);
    const done = (await h.as<Order>('alice', ACME, 'GET', `/rest/order/${uuid}`)).body.payload;
    expect(done).toMatchObject({
      state: 'success',
      total: 3,
      success: 1,
      failed: 1 + 1,
      processing: 0,
      cost: 2,
    });
    expect(done.errors.map((e) => e.code).sort()).toEqual(['not_available', 'not_in_inventory']);
    expect(await h.balanceMicros(ACME)).toBe(before - 2_000_000);
    const types = (await h.events(ACME, seq)).map((e) => e.type);
    expect(types).toEqual([
      'tn.order.updated',
      'tn.order.updated',
      'tn.updated',
      'tn.order.updated',
      'account.balance.changed',
    ]);
    const lease = await h.as<Lease>('alice', ACME, 'GET', `/rest/lease/tn/${encodeURIComponent(free!.tn)}`);
    expect(lease.status).toBe(200);
    expect(lease.body.payload).toMatchObject({ tn: free!.tn, voice: true, sms: true, autorenew: true });
    const search = await h.as<{ total: number }>('alice', ACME, 'POST', '/rest/order/search?take=5', {
      state: 'success',
    });
    expect(search.body.payload.total).toBeGreaterThanOrEqual(1);
  });

  it('reports per-item errors for duplicates and features a number lacks', async () => {
    const voiceOnly = searchInventory({ npa: '206' }, { page: 1, size: 500 }).data.find(
      (n) => !n.features.includes('sms'),
    )!;
    const [other] = searchInventory({ npa: '206', features: ['sms'] }, { page: 1, size: 1 }).data;
    const res = await h.as<Order>('alice', ACME, 'POST', '/rest/order', {
      items: [
        { tn: voiceOnly.tn, features: ['voice', 'sms'] },
        { tn: other!.tn, features: ['voice'] },
        { tn: other!.tn, features: ['voice'] },
      ],
    });
    await h.advance(1200);
    const done = (await h.as<Order>('alice', ACME, 'GET', `/rest/order/${res.body.payload.uuid}`)).body
      .payload;
    expect(done).toMatchObject({ state: 'success', success: 1, failed: 2, cost: 2 });
    expect(done.errors.map((e) => e.code).sort()).toEqual(['duplicate_item', 'feature_unavailable']);
    expect(done.items.map((i) => i.state)).toEqual(['failed', 'success', 'failed']);
  });

  it('refuses an order the balance cannot cover with 402 and no side effects', async () => {
    await h.setBalanceMicros(BAYSIDE, 1_500_000);
    const [n] = searchInventory({ npa: '512' }, { page: 1, size: 1 }).data;
    const seq = await h.lastSeq(BAYSIDE);
    const res = await h.as('bob', BAYSIDE, 'POST', '/rest/order', {
      items: [{ tn: n!.tn, features: ['voice'] }],
    });
    expect(res.status).toBe(402);
    expect(res.body.code).toBe('insufficient_balance');
    expect(await h.lastSeq(BAYSIDE)).toBe(seq);
    expect(await h.balanceMicros(BAYSIDE)).toBe(1_500_000);
    await h.setBalanceMicros(BAYSIDE, 100_000_000);
  });

  it('searches, updates and releases leases by uuid or number', async () => {
    const list = await h.as<{ total: number; data: Lease[] }>(
      'alice',
      ACME,
      'POST',
      '/rest/lease/tn/search',
      {
        sms: true,
      },
    );
    expect(list.status).toBe(200);
    expect(list.body.payload.data.map((l) => l.tn)).toEqual(expect.arrayContaining([...ACME_NUMBERS]));
    const masked = await h.as<{ data: Lease[] }>('alice', ACME, 'POST', '/rest/lease/tn/search', {
      tn: `*${ACME_NUMBERS[1].slice(-4)}`,
    });
    expect(masked.body.payload.data.map((l) => l.tn)).toEqual([ACME_NUMBERS[1]]);

    const lease = list.body.payload.data.find((l) => l.tn === ACME_NUMBERS[1])!;
    const byUuid = await h.as<Lease>('alice', ACME, 'GET', `/rest/lease/tn/${lease.uuid}`);
    expect(byUuid.body.payload.tn).toBe(ACME_NUMBERS[1]);
    const byTen = await h.as<Lease>('alice', ACME, 'GET', `/rest/lease/tn/${ACME_NUMBERS[1].slice(2)}`);
    expect(byTen.body.payload.uuid).toBe(lease.uuid);

    const badXml = await h.as('alice', ACME, 'PATCH', `/rest/lease/tn/${lease.uuid}`, {
      call_flow_xml: '<Response>\n  <Say>hi</Sya>\n</Response>',
    });
    expect(badXml.status).toBe(400);
    expect(badXml.body.fields?.['body.call_flow_xml']?.message).toMatch(/^line 2, column \d+/);

    const seq = await h.lastSeq(ACME);
    const patched = await h.as<Lease>('alice', ACME, 'PATCH', `/rest/lease/tn/${lease.uuid}`, {
      autorenew: false,
      call_flow_xml: '<Response><Say>Hello</Say></Response>',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.payload).toMatchObject({
      autorenew: false,
      call_flow_xml: '<Response><Say>Hello</Say></Response>',
    });
    const [updated] = await h.events(ACME, seq);
    expect(updated).toMatchObject({ type: 'tn.updated', ref_id: lease.uuid });
    expect(updated!.payload).toEqual(
      (await h.as<Lease>('alice', ACME, 'GET', `/rest/lease/tn/${lease.uuid}`)).body.payload,
    );

    const foreign = await h.as('alice', ACME, 'PATCH', `/rest/lease/tn/${lease.uuid}`, {
      messaging_profile: DEMO_TELEPHONY.bayside!.profile,
    });
    expect(foreign.status).toBe(404);
    const off = await h.as<Lease>('alice', ACME, 'DELETE', `/rest/lease/tn/${lease.uuid}/subscription/sms`);
    expect(off.body.payload.sms).toBe(false);
    const on = await h.as<Lease>('alice', ACME, 'POST', `/rest/lease/tn/${lease.uuid}/subscription/sms`, {});
    expect(on.body.payload.sms).toBe(true);

    const [buy] = searchInventory({ npa: '617' }, { page: 1, size: 1 }).data;
    const order = await h.as<Order>('alice', ACME, 'POST', '/rest/order', {
      items: [{ tn: buy!.tn, features: ['voice'] }],
    });
    await h.advance(1200);
    const bought = (await h.as<Order>('alice', ACME, 'GET', `/rest/order/${order.body.payload.uuid}`)).body
      .payload;
    const leaseId = bought.items[0]!.lease!;
    const released = await h.as<Lease>('alice', ACME, 'DELETE', `/rest/lease/tn/${leaseId}`);
    expect(released.status).toBe(200);
    expect((await h.events(ACME)).at(-1)).toMatchObject({ type: 'tn.released', ref_id: leaseId });
    expect((await h.as('alice', ACME, 'GET', `/rest/lease/tn/${leaseId}`)).status).toBe(404);
    // Released numbers are back in the inventory.
    const again = await h.as<{ data: { tn: string }[] }>('alice', ACME, 'POST', '/rest/tn/search?size=100', {
      npa: '617',
    });
    expect(again.body.payload.data.map((n) => n.tn)).toContain(buy!.tn);
  });

  it('keeps TN profiles with black and white lists', async () => {
    const created = await h.as<TnProfile>('alice', ACME, 'POST', '/rest/profile/tn', {
      name: 'Front desk',
      blacklist: ['2125550100'],
    });
    expect(created.status).toBe(201);
    expect(created.body.payload.blacklist).toEqual(['+12125550100']);
    const id = created.body.payload.uuid;
    const edited = await h.as<TnProfile>('alice', ACME, 'POST', `/rest/profile/tn/${id}/whitelist`, {
      add: ['+12125550111', '+12125550112'],
    });
    expect(edited.body.payload.whitelist).toEqual(['+12125550111', '+12125550112']);
    const removed = await h.as<TnProfile>('alice', ACME, 'POST', `/rest/profile/tn/${id}/blacklist`, {
      remove: ['+12125550100'],
    });
    expect(removed.body.payload.blacklist).toEqual([]);
    expect((await h.as('alice', ACME, 'POST', `/rest/profile/tn/${id}/blacklist`, {})).status).toBe(400);
    const renamed = await h.as<TnProfile>('alice', ACME, 'PATCH', `/rest/profile/tn/${id}`, { name: 'Desk' });
    expect(renamed.body.payload.name).toBe('Desk');
    const list = await h.as<{ total: number }>('alice', ACME, 'GET', '/rest/profile/tn?take=1');
    expect(list.body.payload).toMatchObject({ take: 1, skip: 0 });
    expect(list.body.payload.total).toBeGreaterThanOrEqual(1);
    expect((await h.as('bob', BAYSIDE, 'GET', `/rest/profile/tn/${id}`)).status).toBe(404);
    expect((await h.as('alice', ACME, 'DELETE', `/rest/profile/tn/${id}`)).status).toBe(204);
    expect((await h.as('alice', ACME, 'GET', `/rest/profile/tn/${id}`)).status).toBe(404);
  });

  it('lets a viewer read but not buy, and hides other accounts’ numbers behind 404', async () => {
    const [n] = searchInventory({ npa: '702' }, { page: 1, size: 1 }).data;
    const buy = await h.as('dave', BAYSIDE, 'POST', '/rest/order', {
      items: [{ tn: n!.tn, features: ['voice'] }],
    });
    expect(buy.status).toBe(403);
    expect(buy.body.code).toBe('forbidden');
    expect((await h.as('dave', BAYSIDE, 'POST', '/rest/lease/tn/search', {})).status).toBe(200);
    const acmeLease = (await h.as<Lease>('alice', ACME, 'GET', `/rest/lease/tn/${ACME_NUMBERS[0]}`)).body
      .payload;
    expect((await h.as('bob', BAYSIDE, 'GET', `/rest/lease/tn/${acmeLease.uuid}`)).status).toBe(404);
    expect((await h.as('bob', BAYSIDE, 'DELETE', `/rest/lease/tn/${acmeLease.uuid}`)).status).toBe(404);
    expect(
      (await h.as('bob', BAYSIDE, 'PATCH', `/rest/lease/tn/${ACME_NUMBERS[0]}`, { autorenew: false })).status,
    ).toBe(404);
  });
});
