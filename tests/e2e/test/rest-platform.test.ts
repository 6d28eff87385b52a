import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotFoundError } from '@callwire/rest-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, basicClient, type RestServer, startRestServer } from './helpers/rest-server.js';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer({ simSpeed: 100 });
});
afterAll(async () => {
  await server?.close();
});

describe('sip', () => {
  it('connections with their numbers, domains, users', async () => {
    const alice = basicClient(server, ALICE);
    const connection = await alice.sip.connections.create({
      name: 'pbx',
      host: 'pbx.acme.example',
      port: 5060,
    });
    expect(connection.transport).toBe('udp');
    expect((await alice.sip.connections.list().toArray()).map((c) => c.uuid)).toContain(connection.uuid);
    expect((await alice.sip.connections.update(connection.uuid, { transport: 'tls' })).transport).toBe('tls');
    const [lease] = await alice.numbers.list().toArray({ limit: 1 });
    await alice.sip.connections.editTnLeases(connection.uuid, { add: [lease!.tn] });
    expect((await alice.sip.connections.tnLeases(connection.uuid).toArray()).map((l) => l.tn)).toEqual([
      lease!.tn,
    ]);
    await alice.sip.connections.delete(connection.uuid);
    await expect(alice.sip.connections.get(connection.uuid)).rejects.toBeInstanceOf(NotFoundError);

    const domain = await alice.sip.domains.create({ domain: 'acme.sip.example', name: 'Acme' });
    expect((await alice.sip.domains.get('acme.sip.example')).uuid).toBe(domain.uuid);
    expect((await alice.sip.domains.update('acme.sip.example', { name: 'Acme HQ' })).name).toBe('Acme HQ');
    const user = await alice.sip.users.create('acme.sip.example', {
      username: 'desk1',
      password: 'a-long-secret-1',
    });
    expect(user).not.toHaveProperty('password');
    expect((await alice.sip.users.list('acme.sip.example').toArray()).map((u) => u.uuid)).toEqual([
      user.uuid,
    ]);
    expect((await alice.sip.users.get('acme.sip.example', user.uuid)).username).toBe('desk1');
    await alice.sip.users.delete('acme.sip.example', user.uuid);
    await alice.sip.domains.delete('acme.sip.example');
    expect((await alice.sip.domains.list().toArray()).some((d) => d.uuid === domain.uuid)).toBe(false);
  });
});

describe('events', () => {
  it('backfill reads retained events in seq order across pages', async () => {
    const alice = basicClient(server, ALICE);
    const [lease] = await alice.numbers.list({ sms: true }).toArray({ limit: 1 });
    await alice.sms.send({ from: lease!.tn, to: '+12015550191', message: 'for the log' });
    const all = [];
    const backfill = alice.events.backfill({ pageSize: 2 });
    for await (const event of backfill) all.push(event);
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
    expect(backfill.recovered).toBe(true);
    const sms = alice.events.backfill({ types: ['sms.*'] });
    for await (const event of sms) expect(event.type.startsWith('sms.')).toBe(true);
    const page = await alice.events.backfill().page({ take: 1 });
    expect(page.data).toHaveLength(1);
  });

  it('webhook subscription: signing secret once, listed, deliveries, deleted', async () => {
    const received: string[] = [];
    const hook = createServer((req, res) => {
      req.resume();
      received.push(String(req.headers['callwire-event-id']));
      res.end();
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const alice = basicClient(server, ALICE);
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      const subscription = await alice.events.subscriptions.create({
        channel: 'webhook',
        types: ['sms.*'],
        url,
      });
      expect(subscription.signing_secret).toEqual(expect.any(String));
      const listed = await alice.events.subscriptions.list().toArray();
      expect(listed.find((s) => s.uuid === subscription.uuid)?.signing_secret).toBeUndefined();
      const [lease] = await alice.numbers.list({ sms: true }).toArray({ limit: 1 });
      await alice.sms.send({ from: lease!.tn, to: '+12015550192', message: 'hook me' });
      for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(received.length).toBeGreaterThan(0);
      const deliveries = await alice.events.deliveries(subscription.uuid).toArray();
      expect(deliveries.length).toBeGreaterThan(0);
      await alice.events.subscriptions.delete(subscription.uuid);
      expect(
        (await alice.events.subscriptions.list().toArray()).some((s) => s.uuid === subscription.uuid),
      ).toBe(false);
    } finally {
      hook.closeAllConnections();
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  });
});
