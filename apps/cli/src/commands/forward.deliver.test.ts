import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@callwire/auth-core';
import type { UnknownEvent } from '@callwire/types';
import { afterEach, describe, expect, it } from 'vitest';
import { deliver } from './forward.js';

const event: UnknownEvent = {
  uuid: '7a1c9f9e-3c7e-4a57-9d7f-0b7f3b0c1d2e',
  seq: 42,
  type: 'sms.delivered',
  account_id: '0b1f6d4e-9a1a-4f59-8e43-2f7d3c9e5a10',
  created_on: '2026-01-16T14:15:48.540Z',
  ref_id: '5e0c1c9a-1f4b-4c0e-9d3a-7b8e6f5a4c3b',
  message: 'SMS out +12015550100 > +12015550123 - delivered',
  payload: { text: 'héllo ✓' },
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('deliver (events forward)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function receiver(statuses: number[]) {
    const seen: {
      body: string;
      signature: string | undefined;
      eventId: string | undefined;
      verified: boolean;
    }[] = [];
    const server = createServer(async (req, res) => {
      const body = await readBody(req);
      const signature = req.headers['callwire-signature'] as string | undefined;
      let verified = false;
      try {
        await verifyWebhook({ secret: 'whsec_test', payload: body, header: signature });
        verified = true;
      } catch {}
      seen.push({
        body,
        signature,
        eventId: req.headers['callwire-event-id'] as string | undefined,
        verified,
      });
      res.statusCode = statuses[seen.length - 1] ?? 200;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, seen };
  }

  it('POSTs the raw event signed so verifyWebhook accepts it, with the event id header', async () => {
    const { url, seen } = await receiver([204]);
    const result = await deliver(event, {
      url,
      secret: 'whsec_test',
      signal: new AbortController().signal,
      fetch,
    });
    expect(result).toMatchObject({ ok: true, status: 204, attempts: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.verified).toBe(true);
    expect(seen[0]?.eventId).toBe(event.uuid);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(event);
  });

  it('retries briefly on a failing receiver and reports the final status', async () => {
    const { url, seen } = await receiver([500, 502, 200]);
    const result = await deliver(event, {
      url,
      secret: 'whsec_test',
      signal: new AbortController().signal,
      fetch,
      delays: [10, 10],
    });
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 3 });
    expect(seen.every((s) => s.verified)).toBe(true);
  });

  it('gives up after the retries and says why when nobody listens', async () => {
    const result = await deliver(event, {
      url: 'http://127.0.0.1:9/webhook',
      secret: 'whsec_test',
      signal: new AbortController().signal,
      fetch,
      delays: [5],
    });
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(2);
    expect(result.error).toBeTruthy();
  });
});
