import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@callwire/auth-core';
import { startServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOB, basic, type CliRunner, cliFor, loginAs } from './cli-harness.js';

interface EventLine {
  uuid: string;
  seq: number;
  type: string;
  message: string;
  payload: { message?: string; from?: string };
}

describe('callwire events tail / forward against the demo server', () => {
  let server: { url: string; close(): Promise<void> };
  let cli: CliRunner;
  let bayside: string;
  let number: string;

  /** An inbound SMS from the outside world (demo-server simulation, admin access). */
  async function simulateSms(message: string): Promise<void> {
    const response = await fetch(`${server.url}/rest/simulate/sms`, {
      method: 'POST',
      headers: { authorization: basic(BOB), 'x-account-id': bayside, 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+13105550199', to: number, message }),
    });
    expect(response.status).toBeLessThan(300);
  }

  beforeAll(async () => {
    server = await startServer({ port: 0, memory: true, seed: true, logLevel: 'silent' });
    cli = await cliFor(server.url);
    expect((await loginAs(cli, BOB)).code).toBe(0);
    expect((await cli(['use', 'Bayside Realty'])).code).toBe(0);
    const accounts = JSON.parse((await cli(['accounts', '--json'])).stdout) as {
      uuid: string;
      name: string;
    }[];
    bayside = accounts.find((a) => a.name === 'Bayside Realty')!.uuid;
    const leases = JSON.parse((await cli(['numbers', 'list', '--json'])).stdout) as {
      tn: string;
      sms: boolean;
    }[];
    number = leases.find((l) => l.sms)!.tn;
  });
  afterAll(async () => {
    await cli?.cleanup();
    await server?.close();
  });

  it('tail prints a simulated inbound SMS as one human line, then as NDJSON', async () => {
    await simulateSms('first inbound');
    const human = await cli(['events', 'tail', '--types', 'sms.*', '--after-seq', '0', '--count', '1']);
    expect(human.stderr).not.toContain('Error');
    expect(human.code).toBe(0);
    expect(human.stderr).toContain('Bayside Realty');
    expect(human.stdout).toMatch(/#\d+\s+sms\.received/);
    expect(human.stdout.trim().split('\n')).toHaveLength(1);

    const json = await cli([
      'events',
      'tail',
      '--types',
      'sms.*',
      '--after-seq',
      '0',
      '--count',
      '1',
      '--json',
    ]);
    expect(json.code).toBe(0);
    const event = JSON.parse(json.stdout.trim()) as EventLine;
    expect(event.type).toBe('sms.received');
    expect(event.payload.message).toBe('first inbound');
  });

  it('resumes after the last seq it printed', async () => {
    await simulateSms('second inbound');
    const r = await cli(['events', 'tail', '--types', 'sms.received', '--count', '1', '--json']);
    expect(r.code).toBe(0);
    const event = JSON.parse(r.stdout.trim()) as EventLine;
    expect(event.payload.message).toBe('second inbound');
  });

  it('tail prints an event that happens while it listens', async () => {
    const controller = new AbortController();
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => {
      listening = resolve;
    });
    const tail = cli(['events', 'tail', '--types', 'sms.received', '--from-now', '--count', '1'], {
      signal: controller.signal,
      onStderr: (text) => {
        if (text.includes('Listening for')) listening();
      },
    });
    const timeout = setTimeout(() => controller.abort(), 15_000);
    await ready;
    await simulateSms('live inbound');
    const r = await tail;
    clearTimeout(timeout);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sms\.received/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('tail stops cleanly (exit 0) when interrupted', async () => {
    const controller = new AbortController();
    const tail = cli(['events', 'tail', '--from-now'], {
      signal: controller.signal,
      onStderr: (text) => {
        if (text.includes('Listening for')) controller.abort();
      },
    });
    const timeout = setTimeout(() => controller.abort(), 15_000);
    const r = await tail;
    clearTimeout(timeout);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('forward delivers a signed event that verifyWebhook accepts, with a secret stable across restarts', async () => {
    const secretRun = await cli([
      'events',
      'forward',
      '--to',
      'http://127.0.0.1:1/x',
      '--print-secret',
      '--json',
    ]);
    expect(secretRun.code).toBe(0);
    const secret = (JSON.parse(secretRun.stdout) as { signing_secret: string }).signing_secret;
    expect(secret).toMatch(/^whsec_/);

    const received: { event: EventLine; verified: boolean; eventId: string | undefined }[] = [];
    const receiver = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        await verifyWebhook({ secret, payload: body, header: req.headers['callwire-signature'] as string });
        verified = true;
      } catch {}
      received.push({
        event: JSON.parse(body) as EventLine,
        verified,
        eventId: req.headers['callwire-event-id'] as string,
      });
      res.statusCode = verified ? 200 : 400;
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
    try {
      const r = await cli([
        'events',
        'forward',
        '--to',
        url,
        '--types',
        'sms.received',
        '--after-seq',
        '0',
        '--count',
        '1',
        '--json',
      ]);
      expect(r.stderr).not.toContain('Error');
      expect(r.code).toBe(0);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines[0]).toMatchObject({ type: 'ready', signing_secret: secret, to: url });
      expect(lines[1]).toMatchObject({ type: 'delivery', ok: true, status: 200, event_type: 'sms.received' });
      expect(received).toHaveLength(1);
      expect(received[0]?.verified).toBe(true);
      expect(received[0]?.eventId).toBe(received[0]?.event.uuid);
      expect(received[0]?.event.payload.message).toBe('first inbound');

      const human = await cli([
        'events',
        'forward',
        '--to',
        url,
        '--types',
        'sms.received',
        '--after-seq',
        '0',
        '--count',
        '1',
      ]);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(`Your webhook signing secret is ${secret}`);
      expect(human.stdout).toMatch(/<-- \[200\] POST/);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
