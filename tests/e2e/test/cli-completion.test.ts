import { spawnSync } from 'node:child_process';
import { startServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliHome, cliHome, login } from './helpers/cli-process.js';
import { installed, Terminal } from './helpers/tmux.js';

const missing = (program: string) => `${program} is not installed (on Debian: apt-get install ${program})`;

describe('shell completion (the scripts loaded in real shells)', { timeout: 30_000 }, () => {
  let server: { url: string; close(): Promise<void> };
  let home: CliHome;

  /** Runs a shell with the user's PATH (where `callwire` is) and returns its stdout lines. */
  function shell(program: string, args: string[]): string[] {
    const result = spawnSync(program, args, { env: { ...home.env }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr}`);
    return result.stdout.split('\n').filter(Boolean);
  }

  beforeAll(async () => {
    server = await startServer({ port: 0, memory: true, seed: true, logLevel: 'silent' });
    home = await cliHome(server.url);
    // bob: two accounts, stored at login, so account names can be completed.
    await login(home, 'bob@example.com', 'bob-pass-1');
  });
  afterAll(async () => {
    await home?.cleanup();
    await server?.close();
  });

  it('prints a script for each shell, and refuses an unknown shell with exit 2', async () => {
    for (const name of ['bash', 'zsh', 'fish']) {
      const result = await home.run(['completion', name]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('callwire __complete');
    }
    const json = await home.run(['completion', 'bash', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ shell: 'bash' });
    const bad = await home.run(['completion', 'powershell']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bash, zsh, fish');
  });

  it.runIf(installed('bash'))('bash completes commands, flags, account and profile names', () => {
    const complete = (...words: string[]) =>
      shell('bash', [
        '--norc',
        '-c',
        `source <(callwire completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_callwire_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ]);
    expect(complete('callwire', 'sm')).toEqual(['sms']);
    expect(complete('callwire', 'sms', 'bulk', '--fi')).toEqual(['--file']);
    expect(complete('callwire', 'use', 'B')).toEqual(['Bayside\\ Realty']);
    expect(complete('callwire', '--profile', '')).toEqual(['default']);
    expect(complete('callwire', 'trigger', 'sms.rec')).toEqual(['sms.received']);
    expect(complete('callwire', 'calls', 'list', '--direction', '')).toEqual(['in', 'out']);
  });

  it.runIf(installed('fish'))('fish completes commands, flags and account names', () => {
    const complete = (line: string) =>
      shell('fish', [
        '--no-config',
        '-c',
        `callwire completion fish | source; complete -C ${JSON.stringify(line)}`,
      ]);
    expect(complete('callwire sm')).toEqual(['sms']);
    expect(complete('callwire webhooks create --ur')).toEqual(['--url']);
    expect(complete('callwire use Ba')).toEqual(['Bayside Realty']);
  });

  it.runIf(installed('zsh') && installed('tmux'))(
    'zsh completes a command and a flag on Tab in a terminal',
    async () => {
      const terminal = Terminal.start('zsh -f', { ...home.env, ZDOTDIR: home.root, PS1: '$ ' });
      try {
        terminal.type(
          'autoload -Uz compinit && compinit -u && source <(callwire completion zsh) && echo loaded',
        );
        terminal.press('Enter');
        await terminal.waitFor(/^loaded$/m);
        terminal.type('callwire webho');
        terminal.press('Tab');
        await terminal.waitFor('callwire webhooks ');
        terminal.type('deliv');
        terminal.press('Tab');
        await terminal.waitFor('callwire webhooks deliveries ');
        terminal.type('--li');
        terminal.press('Tab');
        await terminal.waitFor('callwire webhooks deliveries --limit');
      } finally {
        terminal.close();
      }
    },
  );

  it.runIf(installed('bash') && installed('tmux'))('bash completes on Tab in a terminal', async () => {
    const terminal = Terminal.start('bash --norc --noprofile', { ...home.env, PS1: '$ ' });
    try {
      terminal.type('source <(callwire completion bash) && echo loaded');
      terminal.press('Enter');
      await terminal.waitFor(/^loaded$/m);
      terminal.type('callwire prof');
      terminal.press('Tab');
      await terminal.waitFor('callwire profiles ');
      terminal.type('rem');
      terminal.press('Tab');
      await terminal.waitFor('callwire profiles remove ');
    } finally {
      terminal.close();
    }
  });

  const absent = ['zsh', 'fish', 'tmux'].filter((p) => !installed(p));
  if (absent.length > 0) it.skip(`partly skipped: ${absent.map(missing).join('; ')}`, () => {});
});
