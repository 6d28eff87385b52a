import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliHome, cliHome } from './helpers/cli-process.js';
import { installed, Terminal } from './helpers/tmux.js';

/**
 * The CLI in a real terminal (tmux): prompts, colours and the progress bar are what a person sees,
 * typed into with send-keys and read back with capture-pane.
 */
describe.runIf(installed('tmux'))('callwire in a terminal', { timeout: 60_000 }, () => {
  let server: { url: string; close(): Promise<void> };
  let home: CliHome;
  let terminal: Terminal;

  beforeAll(async () => {
    server = await startServer({ port: 0, memory: true, seed: true, logLevel: 'silent', simSpeed: 50 });
    home = await cliHome(server.url);
    // Colours on, as in a person's terminal.
    const { NO_COLOR: _off, ...env } = home.env;
    terminal = Terminal.start('bash --norc --noprofile', { ...env, PS1: '$ ' });
  });
  afterAll(async () => {
    terminal?.close();
    await home?.cleanup();
    await server?.close();
  });

  const run = (line: string) => {
    terminal.press('C-l');
    terminal.type(line);
    terminal.press('Enter');
  };

  it('logs in through the prompts, picks an account, and lists accounts aligned with the coloured marker', async () => {
    run('callwire login');
    await terminal.waitFor('Email');
    terminal.type('bob@example.com');
    terminal.press('Enter');
    await terminal.waitFor('Password');
    terminal.type('bob-pass-1');
    terminal.press('Enter');
    await terminal.waitFor('Which one');
    // The second account in the list: Bayside Realty.
    terminal.press('Down');
    terminal.press('Enter');
    const screen = await terminal.waitFor('Commands act on Bayside Realty');
    expect(screen).not.toContain('bob-pass-1');

    run('callwire accounts; echo "exit=$?"');
    const table = await terminal.waitFor('exit=0');
    const lines = table.split('\n');
    const header = lines.find((l) => l.includes('NAME'))!;
    const marked = lines.find((l) => l.startsWith('*'))!;
    const other = lines.find((l) => l.includes('Acme Dental'))!;
    expect(marked).toContain('Bayside Realty');
    // Every column starts at the same place on every line, though the marker is coloured.
    for (const line of [marked, other]) expect(line.indexOf('Level')).toBe(header.indexOf('LEVEL'));
    expect(terminal.screen(true)).toContain('\u001b[32m*');
  });

  it('shows a progress bar with rate and ETA while a bulk send runs, then the summary', async () => {
    const numbers = JSON.parse((await home.run(['numbers', 'list', '--json'])).stdout) as { tn: string }[];
    const file = join(home.root, 'bulk.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `+1201555${5000 + i},Hello ${i}`);
    await writeFile(file, `to,message\n${rows.join('\n')}\nnope,bad row\n`);
    run(`callwire sms bulk --file ${file} --from ${numbers[0]!.tn} --concurrency 2; echo "exit=$?"`);
    const screen = await terminal.waitFor('exit=1');
    expect(screen).toMatch(/█+ {2}31\/31 \(100%, 1 failed\) {2}[\d.]+\/s {2}ETA 0s/);
    expect(screen).toContain('line 32: to must be a phone number');
    expect(screen).toContain('30 SMS sent, 1 failed');
    // The bar is redrawn in place: one bar line, not one per row.
    expect(screen.match(/█/g)?.length ?? 0).toBeLessThan(60);
  });

  it('Ctrl-C stops a bulk send cleanly: the unsent rows go to the failures file, ready to feed back', async () => {
    const numbers = JSON.parse((await home.run(['numbers', 'list', '--json'])).stdout) as { tn: string }[];
    const file = join(home.root, 'long.csv');
    const rows = Array.from({ length: 400 }, (_, i) => `+1201556${String(i).padStart(4, '0')},Notice ${i}`);
    await writeFile(file, `to,message\n${rows.join('\n')}\n`);
    run(`callwire sms bulk --file ${file} --from ${numbers[0]!.tn} --concurrency 1; echo "exit=$?"`);
    await terminal.waitFor(/█+░+ {2}\d+\/400/);
    terminal.press('C-c');
    const screen = await terminal.waitFor(/^exit=\d+$/m);
    expect(screen).toMatch(/^exit=1$/m);
    expect(screen).toMatch(/\d+ of 400 rows failed; they are in .*long\.failures\.csv/);
    const failures = await readFile(join(home.root, 'long.failures.csv'), 'utf8');
    expect(failures).toContain('not sent: the run was interrupted');

    // Fed back, the failures file sends exactly the rows that were not sent.
    const rerun = await home.run(['sms', 'bulk', '--file', join(home.root, 'long.failures.csv'), '--json']);
    const summary = JSON.parse(rerun.stdout) as { total: number; sent: number; replayed: number };
    expect(rerun.code).toBe(0);
    expect(summary.sent).toBe(summary.total);
    expect(summary.total).toBe(failures.trim().split('\r\n').length - 1);
  });
});
