import { InsufficientBalanceError, NotFoundError, ValidationError } from '@callwire/rest-client';
import type { Order } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALICE,
  BAYSIDE,
  basicClient,
  DAVE,
  type RestServer,
  startRestServer,
} from './helpers/rest-server.js';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer({ simSpeed: 100 });
});
afterAll(async () => {
  await server?.close();
});

async function settled(get: () => Promise<Order>): Promise<Order> {
  for (let i = 0; i < 200; i++) {
    const order = await get();
    if (order.state === 'success' || order.state === 'failed') return order;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('order did not settle');
}

describe('numbers', () => {
  it('search the inventory, page by page and as one stream', async () => {
    const alice = basicClient(server, ALICE);
    const first = await alice.numbers.search({ npa: '201' }).page({ take: 5 });
    expect(first.data).toHaveLength(5);
    expect(first.total).toBeGreaterThan(5);
    expect(first.data.every((n) => n.tn.startsWith('+1201'))).toBe(true);
    const second = await alice.numbers.search({ npa: '201' }).page({ take: 5, skip: 5 });
    expect(second.data[0]?.tn).not.toBe(first.data[0]?.tn);
    const twelve = await alice.numbers.search({ npa: '201' }, { pageSize: 5 }).toArray({ limit: 12 });
    expect(twelve.slice(0, 5)).toEqual(first.data);
    expect(new Set(twelve.map((n) => n.tn)).size).toBe(12);
  });

  it('order a number, follow the order, find the lease, update, SMS on/off, release', async () => {
    const alice = basicClient(server, ALICE);
    const [pick] = (
      await alice.numbers.search({ npa: '201', features: ['voice', 'sms'] }).page({ take: 1, skip: 30 })
    ).data;
    const order = await alice.numbers.order({ items: [{ tn: pick!.tn, features: ['voice', 'sms'] }] });
    expect(order.state).toBe('created');
    const done = await settled(() => alice.numbers.orders.get(order.uuid));
    expect(done.state).toBe('success');
    const found = await alice.numbers.orders.search({ state: 'success' }).toArray();
    expect(found.map((o) => o.uuid)).toContain(order.uuid);

    const lease = await alice.numbers.get(pick!.tn);
    expect(lease.tn).toBe(pick!.tn);
    expect((await alice.numbers.list({ tn: pick!.tn }).toArray()).map((l) => l.uuid)).toEqual([lease.uuid]);
    const updated = await alice.numbers.update(lease.uuid, { autorenew: false });
    expect(updated.autorenew).toBe(false);
    expect((await alice.numbers.disableSms(lease.uuid)).sms).toBe(false);
    expect((await alice.numbers.enableSms(lease.uuid)).sms).toBe(true);
    const released = await alice.numbers.release(lease.uuid);
    expect(released.uuid).toBe(lease.uuid);
    await expect(alice.numbers.get(lease.uuid)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists every number of the account across pages', async () => {
    const alice = basicClient(server, ALICE);
    const all = await alice.numbers.list().toArray();
    const paged: string[] = [];
    for await (const lease of alice.numbers.list({}, { pageSize: 1 })) paged.push(lease.uuid);
    expect(paged).toEqual(all.map((l) => l.uuid));
    expect(all.length).toBeGreaterThanOrEqual(2);
  });

  it('402 → InsufficientBalanceError; viewers may not buy; bad input has fields', async () => {
    const bob = basicClient(server, { username: 'bob@example.com', password: 'bob-pass-1' }).forAccount(
      BAYSIDE,
    );
    const stock = (await bob.numbers.search({ npa: '415', features: ['voice', 'sms'] }).page({ take: 100 }))
      .data;
    expect(stock).toHaveLength(100);
    const error = await bob.numbers
      .order({ items: stock.map((n) => ({ tn: n.tn })) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    expect((error as InsufficientBalanceError).requestId).toEqual(expect.any(String));

    const dave = basicClient(server, DAVE);
    await expect(dave.numbers.order({ items: [{ tn: stock[0]!.tn }] })).rejects.toMatchObject({
      name: 'PermissionError',
    });
    const invalid = await dave.numbers
      .search({ npa: '12' })
      .page()
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(Object.keys((invalid as ValidationError).fields ?? {})).toContain('body.npa');
  });
});

describe('TN profiles and messaging profiles', () => {
  it('TN profile CRUD with blacklist and whitelist edits', async () => {
    const alice = basicClient(server, ALICE);
    const profile = await alice.tnProfiles.create({ name: 'front desk', blacklist: ['2015550199'] });
    expect(profile.blacklist).toEqual(['+12015550199']);
    const listed = await alice.tnProfiles.list().toArray();
    expect(listed.map((p) => p.uuid)).toContain(profile.uuid);
    expect(
      (await alice.tnProfiles.blacklist(profile.uuid, { add: ['+12015550188'], remove: ['+12015550199'] }))
        .blacklist,
    ).toEqual(['+12015550188']);
    expect((await alice.tnProfiles.whitelist(profile.uuid, { add: ['+12015550177'] })).whitelist).toEqual([
      '+12015550177',
    ]);
    expect((await alice.tnProfiles.update(profile.uuid, { name: 'reception' })).name).toBe('reception');
    expect((await alice.tnProfiles.get(profile.uuid)).name).toBe('reception');
    await alice.tnProfiles.delete(profile.uuid);
    await expect(alice.tnProfiles.get(profile.uuid)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('messaging profile CRUD', async () => {
    const alice = basicClient(server, ALICE);
    const seeded = await alice.messagingProfiles.list().toArray();
    expect(seeded.length).toBeGreaterThanOrEqual(1);
    const created = await alice.messagingProfiles.create({ name: 'alerts', sticky_sender: true });
    expect(created.sticky_sender).toBe(true);
    expect((await alice.messagingProfiles.update(created.uuid, { name: 'alerts-2' })).name).toBe('alerts-2');
    expect((await alice.messagingProfiles.get(created.uuid)).name).toBe('alerts-2');
    await alice.messagingProfiles.delete(created.uuid);
    await expect(alice.messagingProfiles.get(created.uuid)).rejects.toBeInstanceOf(NotFoundError);
  });
});
