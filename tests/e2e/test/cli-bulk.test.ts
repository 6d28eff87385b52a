import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliHome, cliHome, login } from './helpers/cli-process.js';

interface Summary {
  total: number;
  sent: number;
  replayed: number;
  failed: number;
  failures_file: string | null;
  results: { line: number; ok: boolean; uuid?: string; error?: string; replayed?: boolean }[];
}

describe('callwire sms bulk and calls bulk (the built bin against a demo server)', {
  timeout: 30_000,
}, () => {
  let server: { url: string; close(): Promise<void> };
  let home: CliHome;
  let from: string;

  /** How many outbound SMS each recipient got, from the server's log. */
  async function sentTo(): Promise<Map<string, number>> {
    const list = await home.run(['sms', 'list', '--direction', 'out', '--limit', '500', '--json']);
    expect(list.code).toBe(0);
    const counts = new Map<string, number>();
    for (const sms of JSON.parse(list.stdout) as { to: string }[])
      counts.set(sms.to, (counts.get(sms.to) ?? 0) + 1);
    return counts;
  }

  beforeAll(async () => {
    server = await startServer({ port: 0, memory: true, seed: true, logLevel: 'silent', simSpeed: 50 });
    home = await cliHome(server.url);
    await login(home, 'alice@example.com', 'alice-pass-1');
    const numbers = JSON.parse((await home.run(['numbers', 'list', '--json'])).stdout) as { tn: string }[];
    from = numbers[0]!.tn;
  });
  afterAll(async () => {
    await home?.cleanup();
    await server?.close();
  });

  it('sends every good row, names a bad row by its line, and writes it to a failures file', async () => {
    const file = join(home.root, 'messages.csv');
    await writeFile(
      file,
      'to,message\n+12015550201,"Hello, Ann"\n+12015550202,Hello Bo\nnot-a-number,Hello nobody\n+12015550203,"Two\nlines"\n',
    );
    const result = await home.run(['sms', 'bulk', '--file', file, '--from', from]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 4: to must be a phone number');
    expect(result.stderr).toContain('3 SMS sent');
    // Not a terminal: plain progress lines with rate and ETA, no bar.
    expect(result.stderr).toMatch(/4\/4 \(100%, 1 failed\) {2}[\d.]+\/s {2}ETA 0s/);
    expect(result.stderr).not.toContain('█');
    const failures = await readFile(join(home.root, 'messages.failures.csv'), 'utf8');
    expect(failures).toBe(
      `to,message,from,occurrence,error\r\nnot-a-number,Hello nobody,${from},,to must be a phone number such as +12015550123 or 2015550123\r\n`,
    );
    const counts = await sentTo();
    expect([counts.get('+12015550201'), counts.get('+12015550202'), counts.get('+12015550203')]).toEqual([
      1, 1, 1,
    ]);

    // The failures file, fixed, is fed back as it is (the sender given with --from is in it now).
    await writeFile(join(home.root, 'fixed.csv'), failures.replace('not-a-number', '+12015550204'));
    const again = await home.run(['sms', 'bulk', '--file', join(home.root, 'fixed.csv')]);
    expect(again.code).toBe(0);
    expect((await sentTo()).get('+12015550204')).toBe(1);
  });

  it('re-run after a crash mid-file sends nothing twice', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `+1201555${String(3000 + i)},Reminder ${i}`);
    const file = join(home.root, 'crash.csv');
    await writeFile(file, `to,message\n${rows.join('\n')}\n`);
    // One request at a time; killed (no chance to clean up) once the first progress line is out.
    const crashed = await home.run(['sms', 'bulk', '--file', file, '--from', from, '--concurrency', '1'], {
      onStderr: (text, child) => {
        if (/\d+\/60/.test(text)) child.kill('SIGKILL');
      },
    });
    expect(crashed.signal).toBe('SIGKILL');
    const before = await sentTo();
    const sentBeforeCrash = rows.filter((r) => before.has(r.slice(0, 12))).length;
    expect(sentBeforeCrash).toBeGreaterThan(0);
    expect(sentBeforeCrash).toBeLessThan(60);

    const rerun = await home.run(['sms', 'bulk', '--file', file, '--from', from, '--json']);
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as Summary;
    // Rows the server had accepted come back as replays; only the others are sent now.
    expect(summary.replayed).toBeGreaterThanOrEqual(sentBeforeCrash);
    expect(summary.sent + summary.replayed).toBe(60);
    const after = await sentTo();
    for (const row of rows) expect(after.get(row.slice(0, 12))).toBe(1);
  });

  it('prints only the JSON summary with --json, and usage errors exit 2', async () => {
    const file = join(home.root, 'one.csv');
    await writeFile(file, `from,to,message\n${from},+12015550301,Only one\n`);
    const result = await home.run(['sms', 'bulk', '--file', file, '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary).toMatchObject({ total: 1, sent: 1, replayed: 0, failed: 0, failures_file: null });

    await writeFile(join(home.root, 'typo.csv'), 'to,mesage\n+12015550302,Hi\n');
    const typo = await home.run(['sms', 'bulk', '--file', join(home.root, 'typo.csv'), '--from', from]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('line 1: the header row has no message column');

    const missing = await home.run(['sms', 'bulk', '--file', join(home.root, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read');

    const tooMany = await home.run(['sms', 'bulk', '--file', file, '--concurrency', '500']);
    expect(tooMany.code).toBe(2);
  });

  it('places one call per row with calls bulk, and a refused row does not stop the others', async () => {
    const file = join(home.root, 'calls.csv');
    await writeFile(file, `to,talk_secs\n+12015550401,1\n+12015550402,soon\n+12015550403,0\n`);
    const result = await home.run(['calls', 'bulk', '--file', file, '--from', from, '--json']);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary).toMatchObject({ total: 3, sent: 2, failed: 1 });
    expect(summary.results.find((r) => !r.ok)).toMatchObject({
      line: 3,
      error: 'talk_secs must be a whole number >= 0, got "soon"',
    });
    const calls = JSON.parse((await home.run(['calls', 'list', '--json'])).stdout) as { to: string }[];
    expect(calls.filter((c) => c.to === '+12015550401' || c.to === '+12015550403')).toHaveLength(2);
  });
});
