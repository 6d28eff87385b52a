import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliHome, cliHome, login } from './helpers/cli-process.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver that answers `status` and keeps what it got. */
async function receiver(status: number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

describe('callwire simulate, trigger, webhooks, profiles and events tail (the built bin)', {
  timeout: 30_000,
}, () => {
  let server: { url: string; close(): Promise<void> };
  let home: CliHome;
  let number: string;
  const receivers: Server[] = [];

  beforeAll(async () => {
    server = await startServer({ port: 0, memory: true, seed: true, logLevel: 'silent', simSpeed: 50 });
    home = await cliHome(server.url);
    await login(home, 'alice@example.com', 'alice-pass-1');
    number = (JSON.parse((await home.run(['numbers', 'list', '--json'])).stdout) as { tn: string }[])[0]!.tn;
  });
  afterAll(async () => {
    for (const r of receivers) r.close();
    await home?.cleanup();
    await server?.close();
  });

  it('simulates an inbound SMS and call to your number, and refuses a number that is not yours', async () => {
    const sms = await home.run([
      'simulate',
      'inbound-sms',
      '--to',
      number,
      '--message',
      'Is it open?',
      '--json',
    ]);
    expect(sms.code).toBe(0);
    expect(JSON.parse(sms.stdout)).toMatchObject({ direction: 'in', to: number, message: 'Is it open?' });
    const call = await home.run(['simulate', 'inbound-call', '--to', number, '--from', '+12125550111']);
    expect(call.code).toBe(0);
    expect(call.stdout).toMatch(/Direction:\s+in/);

    const notOurs = await home.run(['simulate', 'inbound-sms', '--to', '+12125550999']);
    expect(notOurs.code).toBe(1);
    expect(notOurs.stderr).toContain('is not a number of this account');
    const noTo = await home.run(['simulate', 'inbound-call']);
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toContain("required option '--to <tn>'");
  });

  it('triggers an event and events tail --since-seq reads it back, filtered by --types', async () => {
    const triggered = await home.run(['trigger', 'sms.received', '--json']);
    expect(triggered.code).toBe(0);
    const done = JSON.parse(triggered.stdout) as { type: string; resource: { kind: string; uuid: string } };
    expect(done).toMatchObject({ type: 'sms.received', resource: { kind: 'sms' } });

    const read = async (since: number) => {
      const tail = await home.run([
        'events',
        'tail',
        '--since-seq',
        String(since),
        '--types',
        'sms.received',
        '--count',
        '1',
        '--json',
      ]);
      expect(tail.code).toBe(0);
      return JSON.parse(tail.stdout) as { seq: number; type: string; ref_id: string };
    };
    // Walk the account's sms.received events from the start until the triggered one.
    let event = await read(1);
    expect(event.type).toBe('sms.received');
    // --since-seq is inclusive: starting at an event's seq prints that event.
    expect((await read(event.seq)).seq).toBe(event.seq);
    for (let i = 0; i < 10 && event.ref_id !== done.resource.uuid; i++) event = await read(event.seq + 1);
    expect(event).toMatchObject({ type: 'sms.received', ref_id: done.resource.uuid });
  });

  it('refuses an unknown event type and conflicting start positions with exit 2', async () => {
    const unknown = await home.run(['trigger', 'sms.teleported']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('These can: sms.created');
    const both = await home.run(['events', 'tail', '--since-seq', '3', '--after-seq', '2']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('only one of --since-seq, --after-seq and --from-now');
  });

  it('creates, lists, tests, shows deliveries of and deletes a webhook', async () => {
    const ok = await receiver(204);
    receivers.push(ok.server);
    const created = await home.run(['webhooks', 'create', '--url', ok.url, '--types', 'sms.*', '--json']);
    expect(created.code).toBe(0);
    const sub = JSON.parse(created.stdout) as { uuid: string; signing_secret: string; types: string[] };
    expect(sub.signing_secret).toMatch(/^whsec_/);
    expect(sub.types).toEqual(['sms.*']);

    const listed = await home.run(['webhooks', 'list']);
    expect(listed.stdout).toContain(sub.uuid);
    expect(listed.stdout).not.toContain(sub.signing_secret);

    const tested = await home.run(['webhooks', 'test', sub.uuid]);
    expect(tested.stderr).not.toContain('Error');
    expect(tested.code).toBe(0);
    expect(tested.stderr).toContain('answered 204');
    // The receiver got a real, signed delivery of the triggered inbound SMS.
    const delivery = ok.received.find((r) => JSON.parse(r.body).type === 'sms.received')!;
    const [t, v1] = String(delivery.headers['callwire-signature']).split(',');
    const expected = createHmac('sha256', sub.signing_secret)
      .update(`${t!.slice(2)}.${delivery.body}`)
      .digest('hex');
    expect(v1).toBe(`v1=${expected}`);

    const deliveries = await home.run(['webhooks', 'deliveries', sub.uuid, '--json']);
    const rows = JSON.parse(deliveries.stdout) as {
      event_type: string;
      state: string;
      last_status: number;
    }[];
    expect(rows.find((d) => d.event_type === 'sms.received')).toMatchObject({
      state: 'delivered',
      last_status: 204,
    });

    expect((await home.run(['webhooks', 'delete', sub.uuid])).code).toBe(0);
    expect((await home.run(['webhooks', 'list', '--json'])).stdout).not.toContain(sub.uuid);
    const again = await home.run(['webhooks', 'delete', sub.uuid]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not_found');
  });

  it('webhooks test fails with exit 1 when the receiver refuses the delivery', async () => {
    const failing = await receiver(500);
    receivers.push(failing.server);
    const sub = JSON.parse(
      (await home.run(['webhooks', 'create', '--url', failing.url, '--json'])).stdout,
    ) as { uuid: string };
    const tested = await home.run(['webhooks', 'test', sub.uuid]);
    expect(tested.code).toBe(1);
    expect(tested.stderr).toContain('did not accept the delivery (500)');
    const badUrl = await home.run(['webhooks', 'create', '--url', 'ftp://example.com']);
    expect(badUrl.code).toBe(2);
  });

  it('lists profiles with the current one marked, and removes one together with its session', async () => {
    await login(home, 'bob@example.com', 'bob-pass-1', 'staging');
    const listed = await home.run(['profiles', 'list', '--json']);
    const profiles = JSON.parse(listed.stdout) as {
      name: string;
      current: boolean;
      login: string;
      username: string;
    }[];
    expect(profiles).toEqual([
      expect.objectContaining({
        name: 'default',
        current: true,
        login: 'session',
        username: 'alice@example.com',
      }),
      expect.objectContaining({
        name: 'staging',
        current: false,
        login: 'session',
        username: 'bob@example.com',
      }),
    ]);
    const table = await home.run(['profiles', 'list']);
    expect(table.stdout.split('\n')[1]).toMatch(/^\* {2}default/);

    const stored = JSON.parse(
      await readFile(join(home.env.CALLWIRE_CONFIG_DIR!, 'credentials.json'), 'utf8'),
    ) as {
      profiles: { staging: { sessions: Record<string, { refreshToken: string }> } };
    };
    const refreshToken = Object.values(stored.profiles.staging.sessions)[0]!.refreshToken;
    const removed = await home.run(['profiles', 'remove', 'staging', '--json']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ profile: 'staging', removed: true, session_ended: true });
    // Ended on the server too: its refresh token no longer works.
    const refresh = await fetch(`${server.url}/rest/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: refreshToken }),
    });
    expect(refresh.status).toBe(401);
    const after = JSON.parse((await home.run(['profiles', 'list', '--json'])).stdout) as { name: string }[];
    expect(after.map((p) => p.name)).toEqual(['default']);
    // The removed profile's commands now say it is not logged in.
    const gone = await home.run(['--profile', 'staging', 'accounts']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Not logged in (profile staging)');

    const unknown = await home.run(['profiles', 'remove', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no profile "nope"');
  });
});
