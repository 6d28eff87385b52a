import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOB, type CliRunner, cliFor, loginAs } from './cli-harness.js';

interface AccountRow {
  uuid: string;
  name: string;
  access: string;
  current: boolean;
}

describe('callwire login, accounts, use (multi-account bob)', () => {
  let server: { url: string; close(): Promise<void> };
  let cli: CliRunner;

  beforeAll(async () => {
    server = await startServer({ port: 0, memory: true, seed: true, logLevel: 'silent' });
    cli = await cliFor(server.url);
  });
  afterAll(async () => {
    await cli?.cleanup();
    await server?.close();
  });

  it('logs in non-interactively and says that an account must be picked', async () => {
    const r = await loginAs(cli, BOB);
    expect(r.stderr).toContain('Logged in');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Acme Dental');
    expect(r.stderr).toContain('Bayside Realty');
    expect(r.stderr).toContain('callwire use');
  });

  it.runIf(process.platform !== 'win32')(
    'stores the session 0600 in a 0700 folder, never the password',
    async () => {
      const file = join(cli.dir, 'credentials.json');
      expect((await stat(cli.dir)).mode & 0o777).toBe(0o700);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const text = await readFile(file, 'utf8');
      expect(text).not.toContain(BOB.password);
      expect(text).toContain('refreshToken');
    },
  );

  it('lists both accounts, none current yet (--json parses)', async () => {
    const r = await cli(['accounts', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as AccountRow[];
    expect(rows.map((a) => a.name).sort()).toEqual(['Acme Dental', 'Bayside Realty']);
    expect(rows.every((a) => !a.current)).toBe(true);
  });

  it('refuses an account-scoped command until an account is picked, listing the accounts', async () => {
    const r = await cli(['sms', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pick one');
    expect(r.stderr).toContain('Acme Dental');
    expect(r.stderr).toContain('Bayside Realty');
    expect(r.stderr).toContain('callwire use');
    const json = await cli(['sms', 'list', '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stderr) as { error: { code: string; accounts: unknown[] } };
    expect(parsed.error.code).toBe('account_required');
    expect(parsed.error.accounts).toHaveLength(2);
  });

  it('after `use`, sends an SMS on that account and lists it; every command names the account', async () => {
    const use = await cli(['use', 'acme dental']);
    expect(use.code).toBe(0);
    expect(use.stderr).toContain('Now acting on Acme Dental');

    const accounts = JSON.parse((await cli(['accounts', '--json'])).stdout) as AccountRow[];
    expect(accounts.find((a) => a.current)?.name).toBe('Acme Dental');

    const numbers = await cli(['numbers', 'list', '--json']);
    expect(numbers.code).toBe(0);
    const leases = JSON.parse(numbers.stdout) as { tn: string; sms: boolean }[];
    const from = leases.find((l) => l.sms)?.tn;
    expect(from).toBeDefined();

    const sent = await cli([
      'sms',
      'send',
      '--from',
      from!,
      '--to',
      '+12015550123',
      '--message',
      'Hello from the CLI',
      '--json',
    ]);
    expect(sent.stderr).not.toContain('Error');
    expect(sent.code).toBe(0);
    const sms = JSON.parse(sent.stdout) as { uuid: string; to: string; from: string };
    expect(sms.to).toBe('+12015550123');

    const list = await cli(['sms', 'list']);
    expect(list.code).toBe(0);
    expect(list.stderr).toContain('Account: Acme Dental');
    expect(list.stdout).toContain(sms.uuid.slice(0, 8));
    expect(list.stdout).toContain('Hello from the CLI');

    const listJson = JSON.parse((await cli(['sms', 'list', '--json'])).stdout) as { uuid: string }[];
    expect(listJson.map((m) => m.uuid)).toContain(sms.uuid);
  });

  it('--account acts on another account for one command only', async () => {
    const r = await cli(['numbers', 'list', '--account', 'Bayside Realty']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Account: Bayside Realty');
    const whoami = JSON.parse((await cli(['whoami', '--json'])).stdout) as {
      account: { name: string };
      user: { email: string };
    };
    expect(whoami.account.name).toBe('Acme Dental');
    expect(whoami.user.email).toBe(BOB.username);
  });

  it('an API token from `tokens create` works through CALLWIRE_TOKEN, and revoking it ends it', async () => {
    const created = await cli([
      'tokens',
      'create',
      '--name',
      'ci',
      '--ttl',
      '3600',
      '--account',
      'Bayside Realty',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout) as { uuid: string; token: string };
    expect(token.token.length).toBeGreaterThan(10);

    const other = await cliFor(server.url);
    try {
      const env = { CALLWIRE_TOKEN: token.token };
      const r = await other(['numbers', 'list', '--json'], { env });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as unknown[]).length).toBeGreaterThan(0);
      // The same token stored with `login --with-token` (for machines without a secret store).
      const stored = await cliFor(server.url);
      try {
        expect((await stored(['login', '--with-token'], { input: `${token.token}\n` })).code).toBe(0);
        const whoami = JSON.parse((await stored(['whoami', '--json'])).stdout) as {
          account: { name: string };
        };
        expect(whoami.account.name).toBe('Bayside Realty');
      } finally {
        await stored.cleanup();
      }
      const listed = await cli(['tokens', 'list', '--account', 'Bayside Realty', '--json']);
      expect(listed.stdout).not.toContain(token.token);
      expect((await cli(['tokens', 'revoke', token.uuid, '--account', 'Bayside Realty'])).code).toBe(0);
      const after = await other(['numbers', 'list'], { env });
      expect(after.code).toBe(1);
      expect(after.stderr).not.toContain(token.token);
    } finally {
      await other.cleanup();
    }
  });

  it('fails clearly with bad credentials: exit 1, the request id and a hint, no password echoed', async () => {
    const other = await cliFor(server.url);
    try {
      const r = await loginAs(other, { username: BOB.username, password: 'wrong-password-1' });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Error: /);
      expect(r.stderr).toMatch(/request id \S+/);
      expect(r.stderr).toContain('Hint:');
      expect(r.stderr).not.toContain('wrong-password-1');
      // Nothing was stored for the failed login.
      const again = await other(['whoami']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Not logged in');
    } finally {
      await other.cleanup();
    }
  });

  it('explains a user without API access and a viewer who tries to write', async () => {
    const carol = await cliFor(server.url);
    const dave = await cliFor(server.url);
    try {
      const refused = await loginAs(carol, { username: 'carol@example.com', password: 'carol-pass-1' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('api_access_disabled');
      expect(refused.stderr).toMatch(/Hint: .*API access/);

      expect((await loginAs(dave, { username: 'dave@example.com', password: 'dave-pass-1' })).code).toBe(0);
      const leases = JSON.parse((await dave(['numbers', 'list', '--json'])).stdout) as { tn: string }[];
      const write = await dave([
        'sms',
        'send',
        '--from',
        leases[0]!.tn,
        '--to',
        '+12015550123',
        '--message',
        'hi',
      ]);
      expect(write.code).toBe(1);
      expect(write.stderr).toMatch(/status 403/);
      expect(write.stderr).toContain('Hint:');
    } finally {
      await carol.cleanup();
      await dave.cleanup();
    }
  });

  it('logs out: the session is revoked and forgotten', async () => {
    const r = await cli(['logout']);
    expect(r.code).toBe(0);
    const after = await cli(['accounts']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('Not logged in');
  });
});
