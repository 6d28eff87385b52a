import { startServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRunner, cliFor, loginAs } from './cli-harness.js';

const ALICE = { username: 'alice@example.com', password: 'alice-pass-1' };

interface Lease {
  uuid: string;
  tn: string;
  sms: boolean;
}

describe('callwire numbers, calls and reports (single-account alice)', () => {
  let server: { url: string; close(): Promise<void> };
  let cli: CliRunner;

  beforeAll(async () => {
    server = await startServer({ port: 0, memory: true, seed: true, logLevel: 'silent', simSpeed: 50 });
    cli = await cliFor(server.url);
    const login = await loginAs(cli, ALICE);
    expect(login.code).toBe(0);
    // A single-account login needs no `use`.
    expect(login.stderr).toContain('Commands act on Acme Dental');
  });
  afterAll(async () => {
    await cli?.cleanup();
    await server?.close();
  });

  it('searches, buys, lists and releases a number', async () => {
    const found = JSON.parse(
      (await cli(['numbers', 'search', '--npa', '201', '--features', 'sms', '--limit', '1', '--json']))
        .stdout,
    ) as {
      tn: string;
    }[];
    const tn = found[0]!.tn;
    const refused = await cli(['numbers', 'buy', tn]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');

    const bought = await cli(['numbers', 'buy', tn, '--yes', '--json']);
    expect(bought.stderr).not.toContain('Error');
    expect(bought.code).toBe(0);
    expect((JSON.parse(bought.stdout) as { state: string }).state).toBe('success');

    const leases = JSON.parse((await cli(['numbers', 'list', '--json'])).stdout) as Lease[];
    expect(leases.map((l) => l.tn)).toContain(tn);

    expect((await cli(['numbers', 'release', tn, '--yes'])).code).toBe(0);
    const after = JSON.parse((await cli(['numbers', 'list', '--json'])).stdout) as Lease[];
    expect(after.map((l) => l.tn)).not.toContain(tn);
  });

  it('makes a call, shows it, and reports it once finished', async () => {
    const leases = JSON.parse((await cli(['numbers', 'list', '--json'])).stdout) as Lease[];
    const from = leases[0]!.tn;
    const made = await cli([
      'calls',
      'make',
      '--from',
      from,
      '--to',
      '+12015550123',
      '--talk-secs',
      '1',
      '--json',
    ]);
    expect(made.stderr).not.toContain('Error');
    expect(made.code).toBe(0);
    const call = JSON.parse(made.stdout) as { uuid: string; state: string };

    const shown = await cli(['calls', 'get', call.uuid]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(call.uuid);

    // At sim speed 50 the call rings 2 s / 50 and talks 1 s / 50: it is over well within a second.
    let state = call.state;
    for (let i = 0; i < 40 && state !== 'destroyed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (JSON.parse((await cli(['calls', 'get', call.uuid, '--json'])).stdout) as { state: string })
        .state;
    }
    expect(state).toBe('destroyed');

    const list = await cli(['calls', 'list']);
    expect(list.stdout).toContain(call.uuid.slice(0, 8));

    // The window is in the account's time zone: a day either side of today (UTC) covers it.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const csv = await cli(['reports', 'call-data', '--start', day(-1), '--end', day(1), '--csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^uuid,direction,from,to/);
    expect(csv.stdout).toContain(call.uuid);
  });

  it('hangs up a live call', async () => {
    const leases = JSON.parse((await cli(['numbers', 'list', '--json'])).stdout) as Lease[];
    const made = await cli([
      'calls',
      'make',
      '--from',
      leases[0]!.tn,
      '--to',
      '+12015550124',
      '--talk-secs',
      '3600',
      '--json',
    ]);
    const call = JSON.parse(made.stdout) as { uuid: string };
    const r = await cli(['calls', 'hangup', call.uuid]);
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
  });

  it('turns a 404 into a clear error with the request id', async () => {
    const r = await cli(['calls', 'get', '00000000-0000-4000-8000-000000000000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/status 404/);
    expect(r.stderr).toMatch(/request id \S+/);
  });
});
