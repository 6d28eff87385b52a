import type { Lease, SipConnection, SipDomain, SipUser } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, ACME_NUMBERS, BAYSIDE, BAYSIDE_NUMBERS, Harness } from './telephony-harness.js';

describe('SIP connections, domains and users', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates connections and assigns numbers to them', async () => {
    const created = await h.as<SipConnection>('alice', ACME, 'POST', '/rest/sip/connection', {
      name: 'PBX',
      host: 'pbx.example.com',
      port: 5060,
    });
    expect(created.status).toBe(201);
    expect(created.body.payload).toMatchObject({ name: 'PBX', transport: 'udp', tn_count: 0 });
    const id = created.body.payload.uuid;
    const added = await h.as<{ total: number; data: Lease[] }>(
      'alice',
      ACME,
      'POST',
      `/rest/sip/connection/${id}/tnlease`,
      {
        add: [ACME_NUMBERS[0]],
      },
    );
    expect(added.status).toBe(200);
    expect(added.body.payload.data.map((l) => l.tn)).toEqual([ACME_NUMBERS[0]]);
    expect(added.body.payload.data[0]!.sip_connection).toBe(id);
    const updated = (await h.events(ACME)).at(-1)!;
    expect(updated).toMatchObject({ type: 'tn.updated', ref_id: added.body.payload.data[0]!.uuid });
    expect(updated.payload).toMatchObject({ tn: ACME_NUMBERS[0], sip_connection: id });
    const notOurs = await h.as('alice', ACME, 'POST', `/rest/sip/connection/${id}/tnlease`, {
      add: [BAYSIDE_NUMBERS[0]],
    });
    expect(notOurs.status).toBe(400);
    expect(
      (await h.as<SipConnection>('alice', ACME, 'GET', `/rest/sip/connection/${id}`)).body.payload.tn_count,
    ).toBe(1);
    const leases = await h.as<{ data: Lease[] }>('alice', ACME, 'POST', '/rest/lease/tn/search', {
      sip_connection: id,
    });
    expect(leases.body.payload.data).toHaveLength(1);
    await h.as('alice', ACME, 'POST', `/rest/sip/connection/${id}/tnlease`, { remove: [ACME_NUMBERS[0]] });
    expect(
      (await h.as<{ total: number }>('alice', ACME, 'GET', `/rest/sip/connection/${id}/tnlease`)).body.payload
        .total,
    ).toBe(0);
    const patched = await h.as<SipConnection>('alice', ACME, 'PATCH', `/rest/sip/connection/${id}`, {
      transport: 'tls',
    });
    expect(patched.body.payload.transport).toBe('tls');
    const list = await h.as<{ total: number }>('alice', ACME, 'GET', '/rest/sip/connection');
    expect(list.body.payload.total).toBe(1);
    expect((await h.as('bob', BAYSIDE, 'GET', `/rest/sip/connection/${id}`)).status).toBe(404);
    await h.as('alice', ACME, 'POST', `/rest/sip/connection/${id}/tnlease`, { add: [ACME_NUMBERS[1]] });
    const seq = await h.lastSeq(ACME);
    expect((await h.as('alice', ACME, 'DELETE', `/rest/sip/connection/${id}`)).status).toBe(204);
    const released = await h.events(ACME, seq);
    expect(released.map((e) => [e.type, (e.payload as { sip_connection: unknown }).sip_connection])).toEqual([
      ['tn.updated', null],
    ]);
    expect((await h.as('alice', ACME, 'GET', `/rest/sip/connection/${id}`)).status).toBe(404);
  });

  it('keeps domains (globally unique) and users whose passwords are never returned', async () => {
    const domain = await h.as<SipDomain>('alice', ACME, 'POST', '/rest/sip/domain', {
      domain: 'Acme.SIP.example',
      name: 'Acme',
    });
    expect(domain.status).toBe(201);
    expect(domain.body.payload.domain).toBe('acme.sip.example');
    expect(
      (await h.as('bob', BAYSIDE, 'POST', '/rest/sip/domain', { domain: 'acme.sip.example' })).status,
    ).toBe(409);
    expect((await h.as('bob', BAYSIDE, 'GET', '/rest/sip/domain/acme.sip.example')).status).toBe(404);

    const user = await h.as<SipUser>('alice', ACME, 'POST', '/rest/sip/domain/acme.sip.example/user', {
      username: 'frontdesk',
      password: 'correct horse battery',
      caller_id: '2015550100',
    });
    expect(user.status).toBe(201);
    expect(user.body.payload).toMatchObject({
      username: 'frontdesk',
      domain: 'acme.sip.example',
      caller_id: '+12015550100',
    });
    const raw = JSON.stringify(user.body);
    expect(raw).not.toContain('password');
    expect(raw).not.toContain('correct horse');
    const id = user.body.payload.uuid;
    const list = await h.as<{ total: number; data: SipUser[] }>(
      'alice',
      ACME,
      'GET',
      '/rest/sip/domain/acme.sip.example/user',
    );
    expect(list.body.payload.total).toBe(1);
    expect(JSON.stringify(list.body)).not.toContain('password');
    const changed = await h.as<SipUser>(
      'alice',
      ACME,
      'PATCH',
      `/rest/sip/domain/acme.sip.example/user/${id}`,
      {
        password: 'another secret 2',
      },
    );
    expect(changed.status).toBe(200);
    expect(JSON.stringify(changed.body)).not.toContain('another secret');
    const short = await h.as('alice', ACME, 'POST', '/rest/sip/domain/acme.sip.example/user', {
      username: 'x',
      password: 'short',
    });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).not.toContain('short"');
    expect(
      (
        await h.as('alice', ACME, 'POST', '/rest/sip/domain/acme.sip.example/user', {
          username: 'frontdesk',
          password: 'long enough 1',
        })
      ).status,
    ).toBe(409);
    expect(
      (await h.as('dave', BAYSIDE, 'POST', '/rest/sip/domain', { domain: 'bay.sip.example' })).status,
    ).toBe(403);
    expect((await h.as('alice', ACME, 'DELETE', `/rest/sip/domain/acme.sip.example/user/${id}`)).status).toBe(
      204,
    );
    expect((await h.as('alice', ACME, 'DELETE', '/rest/sip/domain/acme.sip.example')).status).toBe(204);
    expect((await h.as('alice', ACME, 'GET', '/rest/sip/domain/acme.sip.example')).status).toBe(404);
  });
});
