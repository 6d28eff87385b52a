import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@callwire/auth-core';
import type { CallbackSecret, MessagingProfile, Sms } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, ACME_NUMBERS, BAYSIDE, Harness } from './telephony-harness.js';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('SMS status callbacks are signed exactly like webhooks', () => {
  let h: Harness;
  let receiver: Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function secret(): Promise<string> {
    const res = await h.as<CallbackSecret>('alice', ACME, 'GET', '/rest/account/callback-secret');
    expect(res.status).toBe(200);
    return res.body.payload.signing_secret;
  }

  async function send(path: string): Promise<Seen[]> {
    const sms = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '+12125550400',
      message: 'signed',
      custom_callback_url: `${base}${path}`,
    });
    expect(sms.status).toBe(202);
    await h.advance(5000);
    await h.telephony.sim.idle();
    return seen.filter((s) => s.path === path && JSON.parse(s.body).ref_id === sms.body.payload.uuid);
  }

  it('custom_callback_url: the webhook headers, a signature the account secret verifies, Callwire/<version>', async () => {
    const key = await secret();
    const got = await send('/custom');
    expect(got.map((s) => JSON.parse(s.body).type)).toEqual(['sms.created', 'sms.sent', 'sms.delivered']);
    for (const s of got) {
      const event = JSON.parse(s.body) as { uuid: string };
      expect(s.headers['user-agent']).toMatch(/^Callwire\/\d+\.\d+\.\d+$/);
      expect(s.headers['content-type']).toBe('application/json');
      expect(s.headers['callwire-event-id']).toBe(event.uuid);
      expect(s.headers['callwire-delivery-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.headers['callwire-attempt']).toBe('1');
      const header = s.headers['callwire-signature'] as string;
      await expect(verifyWebhook({ secret: key, payload: s.body, header })).resolves.toMatchObject({
        ok: true,
      });
      await expect(verifyWebhook({ secret: 'whsec_other', payload: s.body, header })).rejects.toMatchObject({
        reason: 'signature_mismatch',
      });
    }
  });

  it("a messaging profile's callback_url is signed the same way", async () => {
    const key = await secret();
    const profile = await h.as<MessagingProfile>('alice', ACME, 'POST', '/rest/profile/messaging', {
      name: 'Signed callbacks',
      callback_url: `${base}/profile`,
    });
    await h.as('alice', ACME, 'POST', `/rest/lease/tn/${ACME_NUMBERS[1]}/subscription/sms`, {
      messaging_profile: profile.body.payload.uuid,
    });
    const inbound = await h.as<Sms>('alice', ACME, 'POST', '/rest/simulate/sms', {
      from: '+12125550401',
      to: ACME_NUMBERS[1],
      message: 'hello',
    });
    await h.telephony.sim.idle();
    const got = seen.find(
      (s) => s.path === '/profile' && JSON.parse(s.body).ref_id === inbound.body.payload.uuid,
    );
    expect(got).toBeDefined();
    const header = got!.headers['callwire-signature'] as string;
    await expect(verifyWebhook({ secret: key, payload: got!.body, header })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('rotating the secret signs later callbacks with the new one', async () => {
    const old = await secret();
    const rotated = await h.as<CallbackSecret>('alice', ACME, 'POST', '/rest/account/callback-secret');
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.payload.signing_secret;
    expect(fresh).not.toBe(old);
    expect(await secret()).toBe(fresh);
    const [first] = await send('/rotated');
    const header = first!.headers['callwire-signature'] as string;
    await expect(verifyWebhook({ secret: fresh, payload: first!.body, header })).resolves.toMatchObject({
      ok: true,
    });
    await expect(verifyWebhook({ secret: old, payload: first!.body, header })).rejects.toMatchObject({
      reason: 'signature_mismatch',
    });
  });

  it('webhook deliveries carry the same Callwire/<version> User-Agent', async () => {
    const sub = await h.as<{ uuid: string }>('alice', ACME, 'POST', '/rest/event/subscription', {
      channel: 'webhook',
      types: ['sms.*'],
      url: `${base}/webhook`,
    });
    expect(sub.status).toBe(201);
    await send('/with-webhook');
    for (let i = 0; i < 200 && !seen.some((s) => s.path === '/webhook'); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const delivery = seen.find((s) => s.path === '/webhook');
    expect(delivery?.headers['user-agent']).toMatch(/^Callwire\/\d+\.\d+\.\d+$/);
    await h.as('alice', ACME, 'DELETE', `/rest/event/subscription/${sub.body.payload.uuid}`);
  });

  it('only account admins read or rotate it; each account has its own', async () => {
    const viewer = await h.as('dave', BAYSIDE, 'GET', '/rest/account/callback-secret');
    expect(viewer.status).toBe(403);
    const manager = await h.as('bob', ACME, 'POST', '/rest/account/callback-secret');
    expect(manager.status).toBe(403);
    const bayside = await h.as<CallbackSecret>('bob', BAYSIDE, 'GET', '/rest/account/callback-secret');
    expect(bayside.status).toBe(200);
    expect(bayside.body.payload.signing_secret).not.toBe(await secret());
  });
});
