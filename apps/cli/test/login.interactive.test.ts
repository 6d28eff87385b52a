import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/index.js';
import { ACME, type FakeApi, startFakeApi } from './fake-api.js';
import { tempDir } from './helpers.js';

/** A fake terminal: stdin that accepts raw mode, and stderr where the prompts draw. */
function terminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, isRaw: true });
  let screen = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 });
  stderr.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    for (const w of [...waiters]) {
      if (screen.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  return {
    stdin,
    stderr,
    screen: () => screen,
    waitFor: (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (screen.includes(text)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for "${text}" in:\n${screen}`)),
          5000,
        );
        waiters.push({
          text,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    type: (keys: string) => stdin.write(keys),
  };
}

describe('interactive login (prompts on a terminal)', () => {
  let api: FakeApi;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    api = await startFakeApi();
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await api.close();
    await cleanup();
  });

  it('asks for email, password and which account, then stores the choice', async () => {
    const tty = terminal();
    let stdout = '';
    const done = run(['login'], {
      env: { CALLWIRE_CONFIG_DIR: dir, CALLWIRE_BASE_URL: api.url, NO_COLOR: '1' },
      stdin: tty.stdin,
      stdout: { write: (s: string) => (stdout += s) },
      stderr: tty.stderr,
    });
    await tty.waitFor('Email');
    tty.type('bob@example.com\r');
    await tty.waitFor('Password');
    tty.type('bob-pass-1\r');
    await tty.waitFor('Which one');
    // Acme Dental is listed first; Enter picks the highlighted option.
    tty.type('\r');
    const code = await done;
    expect(code).toBe(0);
    expect(tty.screen()).toContain('Commands act on Acme Dental');
    expect(tty.screen()).not.toContain('bob-pass-1');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as {
      profiles: { default: { account_id: string; username: string } };
    };
    expect(config.profiles.default.account_id).toBe(ACME.uuid);
    expect(config.profiles.default.username).toBe('bob@example.com');
    expect(stdout).toBe('');
  });
});
