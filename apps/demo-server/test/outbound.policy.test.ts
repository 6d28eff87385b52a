import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundHttp, OutboundRefusedError } from '../src/http/outbound.js';
import type { RunningServer } from '../src/server.js';
import { ACME, AUTH, call } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';
import { emitBatches } from './realtime-helpers.js';
import { ACME_NUMBERS } from './telephony-harness.js';

/** Destinations refused whatever the flag: link-local and cloud metadata, in every spelling. */
const METADATA_URLS = [
  'http://169.254.169.254/latest/meta-data/',
  'http://169.254.0.1:8080/',
  'http://0xa9fea9fe/', // 169.254.169.254 written as one hexadecimal number
  'http://2852039166/', // … and as one decimal number
  'http://[::ffff:169.254.169.254]/',
  'http://[fe80::1]/',
  'http://[fd00:ec2::254]/',
  'http://100.100.100.200/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://METADATA.google.internal./',
  'http://0.0.0.0:8080/',
];
const PRIVATE_URLS = [
  'http://127.0.0.1:9/',
  'http://localhost:9/',
  'http://10.1.2.3/',
  'http://[::1]:9/',
  'http://192.168.1.1/',
];

/** Every body field the server will later request, on the route that takes it. */
function givers(url: string): Array<[string, 'POST' | 'PATCH', string, Record<string, unknown>, string]> {
  return [
    [
      'webhook url',
      'POST',
      '/rest/event/subscription',
      { channel: 'webhook', types: ['*'], url },
      'body.url',
    ],
    [
      'SMS custom_callback_url',
      'POST',
      '/rest/sms',
      { from: ACME_NUMBERS[0], to: '+12125550100', message: 'hi', custom_callback_url: url },
      'body.custom_callback_url',
    ],
    [
      'profile callback_url',
      'POST',
      '/rest/profile/messaging',
      { name: 'p', callback_url: url },
      'body.callback_url',
    ],
    [
      'call call_flow_url',
      'POST',
      '/rest/call',
      { from: ACME_NUMBERS[0], to: '+12125550100', call_flow_url: url },
      'body.call_flow_url',
    ],
    [
      'number call_flow_url',
      'PATCH',
      `/rest/lease/tn/${ACME_NUMBERS[0]}`,
      { call_flow_url: url },
      'body.call_flow_url',
    ],
  ];
}

describe('outbound URLs are refused when given', () => {
  let server: RunningServer;
  let strict: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ fastArgon2: true });
    strict = await startTestServer({ fastArgon2: true, blockPrivateNetwork: true });
  });
  afterAll(async () => {
    await server.close();
    await strict.close();
  });

  it('link-local and metadata addresses: 400 validation_failed naming the field, on every route', async () => {
    for (const url of METADATA_URLS) {
      for (const [what, method, path, body, field] of givers(url)) {
        const res = await call(server, method, path, { auth: AUTH.alice, body });
        expect(res.status, `${what} ${url}`).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(Object.keys(res.body.fields)).toEqual([field]);
        expect(res.body.fields[field].message).toMatch(/link-local or cloud metadata/);
      }
    }
  });

  it('loopback and private addresses are allowed by default (local development)', async () => {
    const res = await call(server, 'POST', '/rest/event/subscription', {
      auth: AUTH.alice,
      body: { channel: 'webhook', types: ['*'], url: 'http://127.0.0.1:9/hook' },
    });
    expect(res.status).toBe(201);
    const profile = await call(server, 'POST', '/rest/profile/messaging', {
      auth: AUTH.alice,
      body: { name: 'local', callback_url: 'http://localhost:9/cb' },
    });
    expect(profile.status).toBe(201);
  });

  it('with --block-private-network, loopback and private addresses are refused too', async () => {
    for (const url of PRIVATE_URLS) {
      for (const [what, method, path, body, field] of givers(url)) {
        const res = await call(strict, method, path, { auth: AUTH.alice, body });
        expect(res.status, `${what} ${url}`).toBe(400);
        expect(res.body.fields[field].message).toMatch(/loopback or private/);
      }
    }
    const publicName = await call(strict, 'POST', '/rest/event/subscription', {
      auth: AUTH.alice,
      body: { channel: 'webhook', types: ['*'], url: 'https://hooks.example.com/callwire' },
    });
    expect(publicName.status).toBe(201);
  });
});

interface Seen {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('outbound URLs are checked again when fetched', () => {
  let receiver: Server;
  let port: number;
  const seen: Seen[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        // No keep-alive: every request opens a connection, so every request resolves the name.
        res.writeHead(200, { connection: 'close' }).end('<Response/>');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  /** DNS as the test says: each lookup of a name takes the next answer. */
  function dns(...answers: string[][]) {
    let n = 0;
    return async (_hostname: string) => {
      const addresses = answers[Math.min(n++, answers.length - 1)] ?? [];
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
  }

  it('connects to the address it checked, with the platform User-Agent', async () => {
    const outbound = new OutboundHttp({
      blockPrivateNetwork: false,
      userAgent: 'Callwire/1.0.0',
      resolve: dns(['127.0.0.1']),
    });
    const before = seen.length;
    const res = await outbound.post({ url: `http://hooks.example.test:${port}/x`, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(seen.length).toBe(before + 1);
    expect(seen.at(-1)?.headers['user-agent']).toBe('Callwire/1.0.0');
    expect(seen.at(-1)?.headers.host).toBe(`hooks.example.test:${port}`);
  });

  it('refuses a name that resolves to a metadata address, sending nothing', async () => {
    for (const answer of [['169.254.169.254'], ['127.0.0.1', '169.254.169.254'], ['fd00:ec2::254']]) {
      const outbound = new OutboundHttp({
        blockPrivateNetwork: false,
        userAgent: 'Callwire/1.0.0',
        resolve: dns(answer),
      });
      const before = seen.length;
      await expect(
        outbound.post({ url: `http://hooks.example.test:${port}/x`, body: '{}' }),
      ).rejects.toBeInstanceOf(OutboundRefusedError);
      expect(seen.length).toBe(before);
    }
  });

  it('a name that was fine when given and moves to a metadata address later is refused then (rebinding)', async () => {
    const outbound = new OutboundHttp({
      blockPrivateNetwork: false,
      userAgent: 'Callwire/1.0.0',
      resolve: dns(['127.0.0.1'], ['169.254.169.254']),
    });
    const url = `http://rebind.example.test:${port}/x`;
    expect(outbound.urlRefusal(url)).toBeUndefined();
    expect((await outbound.post({ url, body: '{}' })).status).toBe(200);
    // A fresh connection resolves again, and checks again.
    await expect(
      outbound.post({
        url: `http://rebind.example.test:${port}/y`,
        body: '{}',
        headers: { connection: 'close' },
      }),
    ).rejects.toThrow(/link-local or cloud metadata/);
  });

  it('refuses loopback by name at fetch time under --block-private-network', async () => {
    const outbound = new OutboundHttp({
      blockPrivateNetwork: true,
      userAgent: 'Callwire/1.0.0',
      resolve: dns(['127.0.0.1']),
    });
    await expect(outbound.post({ url: `http://hooks.example.test:${port}/x`, body: '{}' })).rejects.toThrow(
      /loopback or private/,
    );
  });

  it('a webhook whose name moved to a metadata address records a refused attempt, never a request', async () => {
    let target = '127.0.0.1';
    const server = await startTestServer({
      fastArgon2: true,
      outboundResolve: async () => [{ address: target, family: 4 }],
      webhooks: { backoffMs: [] },
    });
    try {
      const res = await call(server, 'POST', '/rest/event/subscription', {
        auth: AUTH.alice,
        body: { channel: 'webhook', types: ['batch.*'], url: `http://moves.example.test:${port}/hook` },
      });
      expect(res.status).toBe(201);
      target = '169.254.169.254';
      const before = seen.length;
      await emitBatches(server, ACME, 1);
      const uuid = res.body.payload.uuid;
      let failed: { state: string; last_error: string | null } | undefined;
      // Waits for the worker (a real socket attempt), polling the REST view as a user would.
      for (let i = 0; i < 250 && failed === undefined; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const list = await call(server, 'GET', `/rest/event/subscription/${uuid}/deliveries`, {
          auth: AUTH.alice,
        });
        failed = list.body.payload.data.find((d: { state: string }) => d.state === 'failed');
      }
      expect(failed?.last_error).toMatch(/link-local or cloud metadata/);
      expect(seen.length).toBe(before);
    } finally {
      await server.close();
    }
  });
});
