// A webhook receiver on plain node:http. It subscribes the account to SMS events at its own URL,
// then checks every delivery's Callwire-Signature against the raw body before trusting it: a request
// that is unsigned, forged, or replayed from more than five minutes ago gets 400 and is not processed.
//
//   npx @callwire/demo-server          # in another terminal
//   node webhook-receiver.ts           # then send an SMS (callwire sms send …) and watch it arrive
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionAuth, verifyWebhook, WEBHOOK_SIGNATURE_HEADER } from '@callwire/auth-core';
import { createClient } from '@callwire/rest-client';
import type { CallwireEvent } from '@callwire/types';

async function rawBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** An HTTP server that answers 204 to deliveries signed with `secret` and 400 to anything else. */
export function webhookServer(
  secret: () => string,
  onEvent: (event: CallwireEvent) => void,
  log: (line: string) => void,
): Server {
  return createServer(async (request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    // Verify the bytes as received: JSON parsed and stringified again would not match the signature.
    const body = await rawBody(request);
    try {
      await verifyWebhook({
        secret: secret(),
        payload: body,
        header: request.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string | undefined,
      });
    } catch (error) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid signature');
      log(`Refused a delivery: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    response.writeHead(204).end();
    onEvent(JSON.parse(body) as CallwireEvent);
  });
}

export interface WebhookReceiverOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** Where to listen; 0 picks a free port. */
  port: number;
  onEvent?: (event: CallwireEvent) => void;
  log?: (line: string) => void;
}

/** Listens, subscribes the account to `sms.*` at this receiver, and returns how to stop both. */
export async function startWebhookReceiver(options: WebhookReceiverOptions) {
  const { baseUrl, username, password, port, log = console.log } = options;
  const onEvent = options.onEvent ?? ((e) => log(`Verified ${e.type} #${e.seq}`));
  let signingSecret = '';
  const server = webhookServer(() => signingSecret, onEvent, log);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;

  const auth = createSessionAuth({ baseUrl, username, password });
  const client = createClient({ baseUrl, auth });
  // The signing secret is shown once, in the answer to the create call: keep it somewhere safe.
  const subscription = await client.events.subscriptions.create({
    channel: 'webhook',
    types: ['sms.*'],
    url,
  });
  signingSecret = subscription.signing_secret ?? '';
  log(`Receiving sms.* webhooks at ${url}`);

  return {
    url,
    async stop() {
      await client.events.subscriptions.delete(subscription.uuid);
      await auth.logout();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (import.meta.main) {
  const receiver = await startWebhookReceiver({
    baseUrl: process.env.CALLWIRE_BASE_URL ?? 'http://127.0.0.1:8787',
    username: process.env.CALLWIRE_USERNAME ?? 'alice@example.com',
    password: process.env.CALLWIRE_PASSWORD ?? 'alice-pass-1',
    port: Number(process.env.PORT ?? 3000),
  });
  process.once('SIGINT', () => void receiver.stop());
}
