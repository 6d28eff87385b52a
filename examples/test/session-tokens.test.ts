import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whoAmI } from '../session-tokens.ts';
import { ALICE, lines, startDemoServer } from './demo-server.ts';

let server: RunningServer;
let dir: string;
beforeAll(async () => {
  server = await startDemoServer();
  dir = mkdtempSync(join(tmpdir(), 'callwire-session-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('session-tokens example', () => {
  it('logs in once, then later runs resume from the token file without the password', async () => {
    const file = join(dir, 'session.json');
    const first = lines();
    expect(await whoAmI({ baseUrl: server.url, file, ...ALICE, log: first.log })).toEqual({
      resumed: false,
      email: ALICE.username,
    });

    const saved = readFileSync(file, 'utf8');
    expect(saved).toContain('refreshToken');
    expect(saved).not.toContain(ALICE.password);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // No username or password this time: only the stored session can make this work.
    const second = lines();
    expect(await whoAmI({ baseUrl: server.url, file, log: second.log })).toEqual({
      resumed: true,
      email: ALICE.username,
    });
    expect(second[0]).toMatch(/^Resumed the stored session as alice@example.com/);
  });
});
