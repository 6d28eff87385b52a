import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Call, MessagingProfile, Sms } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, ACME_NUMBERS, Harness } from './telephony-harness.js';

interface Received {
  path: string;
  body: { type?: string; ref_id?: string; payload?: { uuid?: string } } & Record<string, unknown>;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c: Buffer) => {
      data += c.toString();
    });
    req.on('end', () => resolve(data));
  });
}

describe('SMS status callbacks and call-flow URLs', () => {
  let h: Harness;
  let receiver: Server;
  let base: string;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer(async (req, res) => {
      const text = await read(req);
      received.push({ path: req.url ?? '', body: JSON.parse(text) as Received['body'] });
      if (req.url === '/flow') {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end('<Response><Say>From the URL</Say><Hangup/></Response>');
        return;
      }
      if (req.url === '/broken-flow') {
        res.writeHead(500);
        res.end();
        return;
      }
      res.writeHead(204);
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('posts every state of a message to its custom_callback_url after commit', async () => {
    const res = await h.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '+12125550300',
      message: 'hi',
      custom_callback_url: `${base}/sms`,
    });
    await h.advance(5000);
    await h.telephony.sim.idle();
    const mine = received.filter((r) => r.path === '/sms' && r.body.ref_id === res.body.payload.uuid);
    expect(mine.map((r) => r.body.type)).toEqual(['sms.created', 'sms.sent', 'sms.delivered']);
    expect(mine[2]!.body.payload).toMatchObject({ state: 'delivered', delivered: true });
  });

  it('falls back to the messaging profile’s callback_url, also for inbound messages', async () => {
    const profile = await h.as<MessagingProfile>('alice', ACME, 'POST', '/rest/profile/messaging', {
      name: 'With callback',
      callback_url: `${base}/profile`,
    });
    await h.as('alice', ACME, 'POST', `/rest/lease/tn/${ACME_NUMBERS[1]}/subscription/sms`, {
      messaging_profile: profile.body.payload.uuid,
    });
    const inbound = await h.as<Sms>('alice', ACME, 'POST', '/rest/simulate/sms', {
      from: '+12125550301',
      to: ACME_NUMBERS[1],
      message: 'hello',
    });
    await h.telephony.sim.idle();
    const mine = received.filter((r) => r.path === '/profile' && r.body.ref_id === inbound.body.payload.uuid);
    expect(mine.map((r) => r.body.type)).toEqual(['sms.received']);
  });

  it('fetches the call flow from call_flow_url when the call is answered', async () => {
    const seq = await h.lastSeq(ACME);
    const call = await h.as<Call>('alice', ACME, 'POST', '/rest/call', {
      from: ACME_NUMBERS[0],
      to: '+12125550302',
      call_flow_url: `${base}/flow`,
      talk_secs: 60,
    });
    await h.advance(10_000);
    const posted = received.find((r) => r.path === '/flow');
    expect(posted?.body).toMatchObject({ uuid: call.body.payload.uuid, state: 'live' });
    const events = (await h.events(ACME, seq)).filter((e) => e.ref_id === call.body.payload.uuid);
    const steps = events
      .filter((e) => e.type === 'call.callflow')
      .map((e) => (e.payload.callflow as { verb: string }).verb);
    expect(steps).toEqual(['Say', 'Hangup']);
    expect(events.at(-1)!.type).toBe('call.destroyed');

    const broken = await h.as<Call>('alice', ACME, 'POST', '/rest/call', {
      from: ACME_NUMBERS[0],
      to: '+12125550303',
      call_flow_url: `${base}/broken-flow`,
      talk_secs: 3,
    });
    await h.advance(10_000);
    const ended = (await h.as<Call>('alice', ACME, 'GET', `/rest/call/${broken.body.payload.uuid}`)).body
      .payload;
    expect(ended).toMatchObject({ state: 'destroyed', duration: 3 });
  });
});
