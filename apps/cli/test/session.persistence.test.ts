import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME, BAYSIDE, type FakeApi, startFakeApi } from './fake-api.js';
import { runCli, tempDir } from './helpers.js';

describe('sessions across runs (auth-core session store backed by the credentials file)', () => {
  let api: FakeApi;
  let dir: string;
  let cleanup: () => Promise<void>;
  const cli = (argv: string[], input?: string) =>
    runCli(argv, {
      configDir: dir,
      env: { CALLWIRE_BASE_URL: api.url },
      ...(input !== undefined ? { input } : {}),
    });
  const login = () => cli(['login', '--username', 'bob@example.com', '--password-stdin'], 'bob-pass-1\n');
  const credentials = () => readFile(join(dir, 'credentials.json'), 'utf8');

  beforeEach(async () => {
    api = await startFakeApi();
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await api.close();
    await cleanup();
  });

  it('logs in once; later runs reuse the stored session without the password', async () => {
    expect((await login()).code).toBe(0);
    expect(api.counts.login).toBe(1);
    const text = await credentials();
    expect(text).not.toContain('bob-pass-1');
    if (process.platform !== 'win32')
      expect((await stat(join(dir, 'credentials.json'))).mode & 0o777).toBe(0o600);
    const r = await cli(['accounts', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    expect(api.counts.login).toBe(1);
  });

  it('writes rotated tokens back, so the next run uses the new refresh token (no reuse)', async () => {
    api.tokenLifetime = 1;
    expect((await login()).code).toBe(0);
    const before = await credentials();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await cli(['accounts'])).code).toBe(0);
    expect(api.counts.refresh).toBe(1);
    const after = await credentials();
    expect(after).not.toBe(before);
    await new Promise((r) => setTimeout(r, 1100));
    // Had the rotated refresh token not been stored, this refresh would be a reuse and fail.
    const again = await cli(['accounts']);
    expect(again.stderr).not.toContain('Error');
    expect(again.code).toBe(0);
    expect(api.counts.refresh).toBe(2);
    expect(api.counts.login).toBe(1);
  });

  it('makes a multi-account login pick, then binds every request to the picked account', async () => {
    expect((await login()).code).toBe(0);
    const refused = await cli(['sms', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(ACME.name);
    expect(refused.stderr).toContain(BAYSIDE.name);
    expect(api.requests.some((r) => r.path === '/rest/sms/search')).toBe(false);

    expect((await cli(['use', 'Acme'])).code).toBe(0);
    const r = await cli(['sms', 'list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Account: ${ACME.name}`);
    expect(r.stdout).toContain('hello from acme');
    const search = api.requests.filter((q) => q.path === '/rest/sms/search').at(-1);
    expect(search?.accountHeader).toBe(ACME.uuid);
    expect(search?.tokenAccount).toBe(ACME.uuid);
    // The masquerade session made by `use` is reused by the next run.
    expect(api.counts.masquerade).toBe(1);
  });

  it('stops when the server says a request ran on another account than the one asked for', async () => {
    expect((await login()).code).toBe(0);
    expect((await cli(['use', 'Acme'])).code).toBe(0);
    api.forceAccount = BAYSIDE.uuid;
    const r = await cli(['sms', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`ran this request on account ${BAYSIDE.uuid}`);
    expect(r.stdout).toBe('');
  });

  it('--debug shows requests with credentials redacted and never the password or a token', async () => {
    const r = await cli(
      ['login', '--username', 'bob@example.com', '--password-stdin', '--debug'],
      'bob-pass-1\n',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('POST');
    expect(r.stderr).toContain('/rest/auth/login');
    expect(r.stderr).not.toContain('bob-pass-1');
    const stored = JSON.parse(await credentials()) as {
      profiles: { default: { sessions: Record<string, { token: string; refreshToken: string }> } };
    };
    for (const s of Object.values(stored.profiles.default.sessions)) {
      expect(r.stderr).not.toContain(s.token);
      expect(r.stderr).not.toContain(s.refreshToken);
    }
    const list = await cli(['accounts', '--debug']);
    expect(list.stderr).toMatch(/authorization: Bearer \[REDACTED\]/i);
  });

  it('bad credentials: exit 1 with the request id and a hint; nothing stored', async () => {
    const r = await cli(['login', '--username', 'bob@example.com', '--password-stdin'], 'nope-nope\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Invalid email or password');
    expect(r.stderr).toMatch(/request id req_/);
    expect(r.stderr).toContain('Hint:');
    expect((await cli(['whoami'])).stderr).toContain('Not logged in');
  });

  it('a failed login keeps the earlier session; a new login replaces it', async () => {
    expect((await login()).code).toBe(0);
    const before = await credentials();
    const failed = await cli(['login', '--username', 'bob@example.com', '--password-stdin'], 'wrong-pass\n');
    expect(failed.code).toBe(1);
    expect(await credentials()).toBe(before);
    expect((await cli(['accounts'])).code).toBe(0);
    const logoutsBefore = api.counts.logout;
    expect((await login()).code).toBe(0);
    // The replaced session was ended on the server too.
    expect(api.counts.logout).toBe(logoutsBefore + 1);
    const after = JSON.parse(await credentials()) as {
      profiles: { default: { sessions: Record<string, unknown> } };
    };
    expect(Object.keys(after.profiles.default.sessions)).toEqual(['default']);
  });

  it('logout revokes every session on the server (the login and each account it was bound to)', async () => {
    expect((await login()).code).toBe(0);
    expect((await cli(['use', 'Acme'])).code).toBe(0);
    const r = await cli(['logout']);
    expect(r.code).toBe(0);
    expect(api.counts.logout).toBe(2);
    expect(await credentials()).not.toContain('tok_');
    expect((await cli(['accounts'])).code).toBe(1);
  });

  it('CALLWIRE_TOKEN overrides the stored credentials', async () => {
    const r = await runCli(['accounts', '--json'], {
      configDir: dir,
      env: { CALLWIRE_BASE_URL: api.url, CALLWIRE_TOKEN: 'tok_unknown' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Missing or expired token');
    expect(r.stderr).not.toContain('tok_unknown');
  });
});
