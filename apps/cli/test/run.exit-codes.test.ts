import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

describe('run(): parsing and exit codes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await cleanup();
  });

  it('prints help on stdout and exits 0', async () => {
    const r = await runCli(['--help'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: callwire');
    expect(r.stdout).toContain('events');
  });

  it('exits 2 on an unknown command, with a suggestion', async () => {
    const r = await runCli(['acounts'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'acounts'/);
    expect(r.stderr).toMatch(/Did you mean accounts\?/);
  });

  it('suggests the subcommand meant by a typo inside a command (exit 2)', async () => {
    const r = await runCli(['numbers', 'lst'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'lst'/);
    expect(r.stderr).toMatch(/Did you mean list\?/);
  });

  it('lists every command in help, also when asked as `help <command>` or after a global option', async () => {
    const all = await runCli(['--help'], { configDir: dir });
    for (const command of [
      'login',
      'accounts',
      'numbers',
      'sms',
      'calls',
      'events',
      'webhooks',
      'completion',
    ]) {
      expect(all.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    const viaHelp = await runCli(['help', 'numbers'], { configDir: dir });
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toContain('Usage: callwire numbers');
    expect(viaHelp.stdout).toMatch(/^ {2}release\b/m);
    const afterOption = await runCli(['--json', 'numbers', '--help'], { configDir: dir });
    expect(afterOption.code).toBe(0);
    expect(afterOption.stdout).toContain('Usage: callwire numbers');
  });

  it('exits 2 when a required option is missing or malformed, before any request', async () => {
    expect((await runCli(['sms', 'send', '--to', '+12015550123'], { configDir: dir })).code).toBe(2);
    const bad = await runCli(['reports', 'call-data', '--start', '2026-02-30', '--end', '2026-03-01'], {
      configDir: dir,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a calendar date');
    expect((await runCli(['events', 'tail', '--types', 'call.**'], { configDir: dir })).code).toBe(2);
    expect((await runCli(['events', 'forward'], { configDir: dir })).code).toBe(2);
  });

  it('exits 2 for a command group without a subcommand', async () => {
    const r = await runCli(['numbers'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('search');
  });

  it('exits 1 with a hint when not logged in', async () => {
    const r = await runCli(['sms', 'list'], { configDir: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Not logged in');
    expect(r.stderr).toContain('callwire login');
  });

  it('prints errors as JSON on stderr with --json, keeping stdout empty', async () => {
    const r = await runCli(['sms', 'list', '--json'], { configDir: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const parsed = JSON.parse(r.stderr) as { error: { message: string; hint: string } };
    expect(parsed.error.message).toContain('Not logged in');
  });

  it('refuses a login without a terminal and without --password-stdin (exit 2)', async () => {
    const r = await runCli(['login', '--username', 'bob@example.com'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password-stdin');
  });

  it('refuses a base URL that is not http(s) (exit 2)', async () => {
    const r = await runCli(['whoami', '--base-url', 'ftp://x'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('http or https');
  });

  it('reports an unreachable server with the URL and a hint (exit 1)', async () => {
    const r = await runCli(
      ['login', '--username', 'bob@example.com', '--password-stdin', '--base-url', 'http://127.0.0.1:9'],
      {
        configDir: dir,
        input: 'bob-pass-1\n',
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('http://127.0.0.1:9');
    expect(r.stderr).not.toContain('bob-pass-1');
  });
});

describe('variadic arguments', () => {
  it('passes every number of `numbers buy` to the command (refused without --yes off a terminal)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const r = await runCli(['numbers', 'buy', '+12015550101', '+12015550102'], {
        configDir: dir,
        env: { CALLWIRE_TOKEN: 'x'.repeat(20), CALLWIRE_BASE_URL: 'http://127.0.0.1:9' },
      });
      // Fails before the confirmation (no server), but the refusal must not be a usage error about arguments.
      expect(r.stderr).not.toContain('missing required argument');
    } finally {
      await cleanup();
    }
  });
});
