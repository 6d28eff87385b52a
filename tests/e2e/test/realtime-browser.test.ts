import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleForBrowser,
  chromiumPath,
  ensureBuilt,
  launchChromium,
  type StaticSite,
  serveStatic,
} from './helpers/browser.js';
import { ACME, ALICE, type RealtimeServer, startRealtimeServer } from './realtime-harness.js';

const E2E_DIR = fileURLToPath(new URL('..', import.meta.url));

// The page imports the BUILT packages (dist/), bundled; the token comes from the test (no REST from
// the page, so no CORS question), exactly as an app that got it from its own backend would do.
const PAGE_SOURCE = `
import { createRealtimeClient } from '@callwire/realtime-client';
import { createTokenAuth } from '@callwire/auth-core';
const params = new URLSearchParams(location.hash.slice(1));
const auth = createTokenAuth({ token: params.get('token') });
const client = createRealtimeClient({ url: params.get('ws'), auth });
window.received = [];
window.states = [];
client.onState((s) => window.states.push(s.state));
client.on('call.*', (event) => { window.received.push({ seq: event.seq, type: event.type, to: event.payload.to }); });
window.subscribed = client.subscribe(['call.*']).ready.then((info) => info.lastSeq);
window.usesGlobalWebSocket = typeof WebSocket === 'function';
`;

describe.skipIf(chromiumPath() === undefined)('realtime-client in headless Chromium', () => {
  let server: RealtimeServer;
  let site: StaticSite;
  let browser: Browser;

  beforeAll(async () => {
    ensureBuilt(['types', 'auth-core', 'realtime-client']);
    const code = await bundleForBrowser(PAGE_SOURCE, E2E_DIR);
    site = await serveStatic({
      '/': '<!doctype html><meta charset="utf-8"><title>realtime</title><script type="module" src="/app.js"></script>',
      '/app.js': code,
    });
    server = await startRealtimeServer({ simSpeed: 20 });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.close();
  });

  it("a page using the built client receives a simulated call's events", async () => {
    const login = await fetch(`${server.url}/rest/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ALICE),
    });
    expect(login.status).toBe(200);
    const { token } = ((await login.json()) as { payload: { token: string } }).payload;
    const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const leases = await fetch(`${server.url}/rest/lease/tn/search`, {
      method: 'POST',
      headers: bearer,
      body: '{}',
    });
    const number = ((await leases.json()) as { payload: { data: { tn: string }[] } }).payload.data[0]!.tn;

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${site.url}/#ws=${encodeURIComponent(server.wsUrl)}&token=${encodeURIComponent(token)}`);
    await page.waitForFunction(
      () => (window as unknown as { subscribed?: Promise<number> }).subscribed !== undefined,
    );
    await page.evaluate(() => (window as unknown as { subscribed: Promise<number> }).subscribed);

    const call = await fetch(`${server.url}/rest/simulate/call`, {
      method: 'POST',
      headers: { ...bearer, 'x-account-id': ACME },
      body: JSON.stringify({ from: '+13105550199', to: number, talk_secs: 1 }),
    });
    expect(call.status).toBeLessThan(300);

    await page.waitForFunction(
      () =>
        (window as unknown as { received: { type: string }[] }).received.some(
          (e) => e.type === 'call.destroyed',
        ),
      undefined,
      { timeout: 30_000 },
    );
    const received = await page.evaluate(
      () => (window as unknown as { received: { seq: number; type: string; to: string }[] }).received,
    );
    const types = received.map((e) => e.type);
    expect(types[0]).toBe('call.initiated');
    expect(types).toContain('call.hangup');
    expect(types.at(-1)).toBe('call.destroyed');
    expect(received.every((e) => e.to === number)).toBe(true);
    const seqs = received.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(await page.evaluate(() => (window as unknown as { states: string[] }).states)).toEqual([
      'connecting',
      'open',
    ]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
