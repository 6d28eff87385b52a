import { createBasicAuth, signWebhook } from '@callwire/auth-core';
import type { RunningServer } from '@callwire/demo-server';
import { createClient } from '@callwire/rest-client';
import type { CallwireEvent } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../webhook-receiver.ts';
import { ALICE, lines, startDemoServer } from './demo-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(() => server.close());

describe('webhook-receiver example', () => {
  it("accepts the platform's signed deliveries and refuses unsigned and forged ones", async () => {
    const out = lines();
    let delivered!: (event: CallwireEvent) => void;
    const received = new Promise<CallwireEvent>((resolve) => {
      delivered = resolve;
    });
    const receiver = await startWebhookReceiver({
      baseUrl: server.url,
      ...ALICE,
      port: 0,
      onEvent: delivered,
      log: out.log,
    });
    try {
      const client = createClient({
        baseUrl: server.url,
        auth: createBasicAuth({ baseUrl: server.url, ...ALICE }),
      });
      const [number] = await client.numbers.list({ sms: true }).toArray({ limit: 1 });
      const sms = await client.sms.send({
        from: number?.tn ?? '',
        to: '+12015550123',
        message: 'webhook test',
      });
      const event = await received;
      expect(event.type).toMatch(/^sms\./);
      expect((event.payload as { uuid: string }).uuid).toBe(sms.uuid);

      const body = JSON.stringify({ ...event, seq: event.seq + 1000 });
      const unsigned = await fetch(receiver.url, { method: 'POST', body });
      expect(unsigned.status).toBe(400);
      const forged = await fetch(receiver.url, {
        method: 'POST',
        body,
        headers: { 'Callwire-Signature': await signWebhook({ secret: 'not-the-secret', payload: body }) },
      });
      expect(forged.status).toBe(400);
      expect(out.filter((line) => line.startsWith('Refused a delivery'))).toHaveLength(2);
    } finally {
      await receiver.stop();
    }
  });
});
