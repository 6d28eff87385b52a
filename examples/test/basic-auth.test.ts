import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWithBasicAuth } from '../basic-auth.ts';
import { ACME, BAYSIDE, BOB, lines, startDemoServer } from './demo-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(() => server.close());

describe('basic-auth example', () => {
  it('sends the SMS on the account it names, even for a user of two accounts', async () => {
    const out = lines();
    const { sms, accountId } = await sendWithBasicAuth({
      baseUrl: server.url,
      ...BOB,
      accountId: BAYSIDE,
      log: out.log,
    });
    expect(accountId).toBe(BAYSIDE);
    expect(out[0]).toMatch(/^Acting on Bayside Realty/);
    const fetched = await fetch(`${server.url}/rest/sms/${sms.uuid}?account_id=${ACME}`, {
      headers: { authorization: `Basic ${btoa(`${BOB.username}:${BOB.password}`)}` },
    });
    expect(fetched.status).toBe(404); // not on the other account
  });

  it('runs as a program: node basic-auth.ts', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(import.meta.dirname, '..', 'basic-auth.ts')],
      {
        env: { ...process.env, CALLWIRE_BASE_URL: server.url },
      },
    );
    expect(stdout).toMatch(/Acting on Acme Dental/);
    expect(stdout).toMatch(new RegExp(`Sent SMS \\S+ from \\+1\\d{10} to \\+12015550123 on account ${ACME}`));
  });
});
