import type { RunningServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersPerAccount } from '../multi-account.ts';
import { BOB, lines, startDemoServer } from './demo-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(() => server.close());

describe('multi-account example', () => {
  it("lists each account's own numbers with forAccount, after refusing to guess the account", async () => {
    const out = lines();
    const result = await numbersPerAccount({ baseUrl: server.url, ...BOB, log: out.log });
    expect(out[0]).toMatch(/^Without an account: /);
    expect(result.map((r) => r.account).sort()).toEqual(['Acme Dental', 'Bayside Realty']);
    const [a, b] = result;
    expect(a?.numbers.length).toBeGreaterThan(0);
    expect(b?.numbers.length).toBeGreaterThan(0);
    expect(a?.numbers.filter((tn) => b?.numbers.includes(tn))).toEqual([]);
  });
});
