import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.js';
import { bundleBuiltClient, startPageServer } from './helpers/rest-browser.js';
import { ACME, type RestServer, startRestServer } from './helpers/rest-server.js';

let server: RestServer;
let page: Awaited<ReturnType<typeof startPageServer>>;
let browser: Browser;
let bundle: string;

beforeAll(async () => {
  server = await startRestServer({ simSpeed: 100 });
  bundle = await bundleBuiltClient();
  page = await startPageServer(server.port, bundle);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await page?.close();
  await server?.close();
});

describe('the built client in headless Chromium', () => {
  it('bundles for browsers without any node: import', () => {
    expect(bundle).not.toMatch(/from\s*["']node:/);
    expect(bundle).not.toMatch(/import\(["']node:/);
  });

  it('lists numbers and sends an SMS against the demo server', async () => {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(`${page.url}/`);
    await tab.waitForFunction(() => 'callwire' in window);
    const result = await tab.evaluate(async (accountId: string) => {
      type Lib = {
        createBasicAuth: (o: Record<string, unknown>) => unknown;
        validateResponses: (mode: string) => unknown;
        createClient: (o: Record<string, unknown>) => {
          numbers: { list: (f?: object) => AsyncIterable<{ tn: string; sms: boolean }> };
          sms: {
            send: (b: object) => {
              withResponse: () => Promise<{
                data: { uuid: string; state: string; from: string };
                accountId?: string;
              }>;
            };
          };
        };
      };
      const lib = (window as unknown as { callwire: Lib }).callwire;
      const baseUrl = location.origin;
      const client = lib.createClient({
        baseUrl,
        auth: lib.createBasicAuth({ username: 'alice@example.com', password: 'alice-pass-1', baseUrl }),
        accountId,
        validate: lib.validateResponses('strict'),
      });
      const numbers: { tn: string; sms: boolean }[] = [];
      for await (const n of client.numbers.list()) numbers.push(n);
      const from = numbers.find((n) => n.sms)?.tn;
      const sent = await client.sms
        .send({ from, to: '+12015550123', message: 'from a browser' })
        .withResponse();
      return {
        numbers: numbers.map((n) => n.tn),
        sms: sent.data,
        accountId: sent.accountId,
        userAgent: navigator.userAgent,
      };
    }, ACME);
    expect(errors).toEqual([]);
    expect(result.userAgent).toContain('Chrome');
    expect(result.numbers.length).toBeGreaterThanOrEqual(2);
    expect(result.sms.state).toBe('created');
    expect(result.numbers).toContain(result.sms.from);
    expect(result.accountId).toBe(ACME);
    // The server saw the browser's request, with an idempotency key chosen in the page.
    const post = server.seen.find((r) => r.method === 'POST' && r.path === '/rest/sms');
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    await tab.close();
  }, 60_000);
});
