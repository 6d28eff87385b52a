import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.js';
import {
  descriptionOf,
  ensureConsoleBuilt,
  openScreen,
  resetArtifacts,
  screenshot,
  seriousViolations,
  signIn,
  tabTo,
  until,
} from './helpers/console.js';
import { ACME, type RealtimeServer, startRealtimeServer } from './realtime-harness.js';

/**
 * The console as people use it: the production build served by the real demo server, driven in
 * the system's headless Chromium by role and label. One browser and one page for the whole file
 * (signing out between users), to keep the suite quick.
 */

let server: RealtimeServer;
let browser: Browser;
let page: Page;
/** Every REST request the page made, in order (method and path). */
const requests: string[] = [];
const pageErrors: string[] = [];
/** The newest bearer token the page sent: the console's session. */
let lastBearer = '';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ALICE_AUTH = basic('alice@example.com', 'alice-pass-1');

async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: ALICE_AUTH, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { success: boolean; payload: T };
  if (!json.success) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
  return json.payload;
}

/** axe finds nothing serious or critical on the page as it is now; a screenshot records the step. */
async function checkStep(name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousViolations(page), `accessibility of ${name}`).toEqual([]);
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

beforeAll(async () => {
  const consoleDir = ensureConsoleBuilt();
  resetArtifacts();
  server = await startRealtimeServer({ simSpeed: 20, consoleDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/rest/')) return;
    requests.push(`${request.method()} ${url.pathname}`);
    const authorization = request.headers().authorization ?? '';
    if (authorization.startsWith('Bearer ')) lastBearer = authorization;
  });
  await page.goto(server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the console', { timeout: 30_000 }, () => {
  it('is served at / with a policy that keeps the page to its own server', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    // Offline: nothing is loaded from another origin.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    await checkStep('sign-in');
  });

  it('shows a wrong password and a user without API access as messages, and no account data', async () => {
    await page.getByLabel('E-mail').focus();
    await page.keyboard.type('alice@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not-her-password');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong e-mail or password.');
    await checkStep('wrong-password');

    await signIn(page, 'carol@example.com', 'carol-pass-1');
    await page.getByRole('alert').filter({ hasText: 'API access is turned off' }).waitFor();
    await screenshot(page, 'api-access-off');
    expect(await page.getByRole('navigation', { name: 'Screens' }).count()).toBe(0);
    // Nothing account-scoped was asked for: only logins.
    expect(requests.filter((r) => r !== 'POST /rest/auth/login')).toEqual([]);
  });

  it('alice signs in, places a call to an answering number from the keyboard and sees ringing → live → hangup in order', async () => {
    await signIn(page, 'alice@example.com', 'alice-pass-1');
    // A single-account user goes straight to her account.
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('region', { name: 'Balance' }).getByText('$100.00').waitFor();
    await checkStep('overview');

    // From the keyboard only: Tab to the Calls screen, then to the number, Enter to place the call.
    await tabTo(page, page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Calls' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Calls' }).waitFor();
    await tabTo(page, page.getByLabel('Call to'));
    await page.keyboard.type('+12015550123');
    await page.keyboard.press('Enter');
    const history = page.getByRole('row').filter({ hasText: '+12015550123' }).getByRole('cell').nth(5);
    const states = await until(
      () => history.textContent(),
      (text) => text?.includes('hangup') === true,
    );
    expect(states).toMatch(/^init → ringing → (answered → )?live → hangup/);
    await checkStep('call-finished');

    // A long call placed elsewhere shows up live here, and hangs up from its row.
    const from = (await rest<{ data: { tn: string }[] }>('POST', '/rest/lease/tn/search', {})).data[0]!.tn;
    await rest('POST', '/rest/call', { from, to: '+12015550145', talk_secs: 3600 });
    const long = page.getByRole('row').filter({ hasText: '+12015550145' });
    await long.getByRole('cell', { name: 'live', exact: true }).waitFor();
    await long.getByRole('button', { name: 'Hang up the call to +12015550145' }).click();
    const ended = await until(
      () => long.getByRole('cell').nth(5).textContent(),
      (text) => text?.includes('hangup') === true,
    );
    expect(ended).toMatch(/live → hangup/);

    // The balance follows the call's cost live, without a reload.
    await openScreen(page, 'Overview');
    const balance = page.getByRole('region', { name: 'Balance' });
    await until(
      () => balance.textContent(),
      (text) => text !== null && /\$99\.9/.test(text),
    );
  });

  it('the SMS form puts the error next to the number field, and sent messages change state live', async () => {
    await openScreen(page, 'SMS');
    const to = page.getByLabel('To', { exact: true });
    await to.fill('12345');
    await page.getByLabel('Message').fill('hello');
    await page.getByRole('button', { name: 'Send SMS' }).click();
    await until(
      () => to.getAttribute('aria-invalid'),
      (v) => v === 'true',
    );
    expect(await descriptionOf(to)).toMatch(/phone number/i);
    expect(await page.getByLabel('Message').getAttribute('aria-invalid')).not.toBe('true');
    await checkStep('sms-field-error');

    await to.fill('+12015550188');
    await page.getByRole('button', { name: 'Send SMS' }).click();
    const row = page.getByRole('row').filter({ hasText: '+12015550188' });
    await row.getByRole('cell', { name: 'delivered', exact: true }).waitFor();
    expect(await to.getAttribute('aria-invalid')).not.toBe('true');
    await checkStep('sms-delivered');
  });

  it('the report charts the calls per day, lists them and downloads them as CSV', async () => {
    // Two more finished calls today, besides the two placed above.
    const from = (await rest<{ data: { tn: string }[] }>('POST', '/rest/lease/tn/search', {})).data[0]!.tn;
    for (const to of ['+12015550111', '+12015550112']) {
      const call = await rest<{ uuid: string }>('POST', '/rest/call', { from, to, talk_secs: 1 });
      await until(
        () => rest<{ state: string }>('GET', `/rest/call/${call.uuid}`),
        (c) => c.state === 'destroyed',
      );
    }
    await openScreen(page, 'Reports');
    await page.getByRole('button', { name: 'Show report' }).click();
    const chart = page.getByRole('img', { name: /Calls, minutes and cost per day/ });
    await chart.waitFor();
    const heights = await chart
      .locator('rect[data-series="Calls"]')
      .evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('height'))));
    expect(heights.filter((h) => h > 0)).toHaveLength(1);
    const table = page.getByRole('table', { name: 'Per day' });
    // All on one day (the account's day, in its time zone): four calls in the per-day table.
    const perDay = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(perDay.map(Number).filter((n) => n > 0)).toEqual([4]);
    await checkStep('report');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(path, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe(
      'uuid,direction,from,to,started_on,answered_on,ended_on,duration,billable_seconds,cost,q850_cause,state',
    );
    expect(lines).toHaveLength(5);
    expect(lines.some((l) => l.includes('+12015550123'))).toBe(true);
  });

  it('shows an API token once and never again', async () => {
    await openScreen(page, 'API tokens');
    await page.getByLabel('Token name').fill('ci-deploy');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secretBox = page.getByRole('region', { name: /New token/ });
    const secret = (await secretBox.locator('code').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await checkStep('token-created');
    // The token works: it reads this account.
    const res = await fetch(`${server.url}/rest/account`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);

    await secretBox.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('cell', { name: 'ci-deploy', exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await openScreen(page, 'Overview');
    await openScreen(page, 'API tokens');
    await page.getByRole('cell', { name: 'ci-deploy', exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Revoke token ci-deploy' }).click();
    await page.getByRole('status').filter({ hasText: 'revoked' }).waitFor();
    await until(
      () => page.getByRole('cell', { name: 'ci-deploy', exact: true }).count(),
      (n) => n === 0,
    );
  });

  it('creates a webhook, shows its deliveries with status codes, and deletes it', async () => {
    const received: string[] = [];
    const receiver: Server = createServer((req, res) => {
      received.push(String(req.headers['callwire-event-id']));
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      await openScreen(page, 'Webhooks');
      await page.getByLabel('Endpoint URL').fill(url);
      await page.getByLabel('Event types').fill('sms.*');
      await page.getByRole('button', { name: 'Add webhook' }).click();
      await page.getByRole('region', { name: /Signing secret/ }).waitFor();
      await checkStep('webhook-created');
      await page.getByRole('button', { name: 'I have stored it' }).click();

      // An inbound SMS, simulated from the Calls screen, is delivered to the webhook.
      await openScreen(page, 'Calls');
      await page.getByRole('radio', { name: 'An SMS' }).check();
      await page.getByLabel('From (outside number)').fill('+12015550177');
      await page.getByLabel('Inbound message').fill('ping');
      await page.getByRole('button', { name: 'Simulate inbound SMS' }).click();
      await page.getByRole('status').filter({ hasText: 'An SMS arrived at' }).waitFor();
      await until(
        async () => received.length,
        (n) => n > 0,
      );
      await openScreen(page, 'Webhooks');
      await page.getByRole('button', { name: `Deliveries to ${url}` }).click();
      await until(
        async () => {
          await page.getByRole('button', { name: 'Refresh deliveries' }).click();
          return page.getByRole('cell', { name: '#1: 204' }).count();
        },
        (n) => n > 0,
      );
      await checkStep('webhook-deliveries');

      await page.getByRole('button', { name: `Delete the webhook to ${url}` }).click();
      await page.getByText('No webhooks yet.').waitFor();
    } finally {
      receiver.close();
    }
  });

  it('while events flow and the server drops the socket, shows the reconnect and misses no event', async () => {
    await openScreen(page, 'Live events');
    const indicator = page.getByRole('status', { name: 'Live connection' });
    await indicator.getByText('Live').waitFor();
    // Record every text the indicator shows: a reconnect on loopback can be quicker than a poll.
    await indicator.evaluate((el) => {
      const log: string[] = [];
      (window as unknown as { statusLog: string[] }).statusLog = log;
      new MutationObserver(() => log.push(el.textContent ?? '')).observe(el, {
        subtree: true,
        characterData: true,
        childList: true,
      });
    });
    const tn = (await rest<{ data: { tn: string }[] }>('POST', '/rest/lease/tn/search', {})).data[0]!.tn;
    const inbound = (i: number) =>
      rest('POST', '/rest/simulate/sms', { from: '+12015550170', to: tn, message: `m${i}` });
    for (let i = 0; i < 5; i++) await inbound(i);
    expect(server.dropSockets()).toBeGreaterThan(0);
    // These happen while the page has no socket.
    for (let i = 5; i < 15; i++) await inbound(i);

    const log = () => page.evaluate(() => (window as unknown as { statusLog: string[] }).statusLog);
    const seen = await until(log, (texts) =>
      texts.some((t) => /Resumed: \d+ missed events? fetched/.test(t)),
    );
    const reconnecting = seen.findIndex((t) => t.includes('Reconnecting…'));
    expect(reconnecting).toBeGreaterThanOrEqual(0);
    expect(seen.findIndex((t) => t.startsWith('Resumed'))).toBeGreaterThan(reconnecting);
    await screenshot(page, 'events-resumed');

    // Every event the server recorded is in the timeline, from the first one shown to the last.
    const page1 = await rest<{ last_seq: number; data: { seq: number }[] }>(
      'GET',
      '/rest/event?after_seq=0&take=1000',
    );
    const timeline = async () =>
      (
        await page
          .getByRole('table', { name: /Event timeline/ })
          .locator('tbody tr td:first-child')
          .allTextContents()
      ).map(Number);
    const shown = await until(timeline, (seqs) => seqs[0] === page1.last_seq);
    const oldest = Math.min(...shown);
    const expected = page1.data.map((e) => e.seq).filter((seq) => seq >= oldest);
    expect([...shown].sort((a, b) => a - b)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(15);
    await checkStep('events');

    // Pause freezes the timeline while events keep coming; resume shows them.
    await page.getByRole('button', { name: 'Pause' }).click();
    await inbound(99);
    await page.getByText('Paused: 1 new event waiting').waitFor();
    expect((await timeline())[0]).toBe(page1.last_seq);
    await page.getByRole('button', { name: 'Resume' }).click();
    await until(timeline, (seqs) => seqs[0] === page1.last_seq + 1);

    // The filter keeps one type.
    await page.getByLabel('Event type').selectOption('call.*');
    const types = await page
      .getByRole('table', { name: /Event timeline/ })
      .locator('tbody code')
      .allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((t) => t.startsWith('call.'))).toBe(true);
    await page.getByLabel('Event type').selectOption('*');
  });

  it('when the session is revoked elsewhere, asks to sign in again and shows no account data', async () => {
    // alice has one account, so the console's requests all carry her sign-in's own token.
    const res = await fetch(`${server.url}/rest/auth/logout`, {
      method: 'POST',
      headers: { authorization: lastBearer },
    });
    expect(res.status).toBe(204);
    // The server closes the console's socket; renewing the session is refused; back to sign-in.
    await page.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Screens' }).count()).toBe(0);
    await checkStep('session-ended');
  });

  it('bob is asked which account first, and switching never shows the other account', async () => {
    requests.length = 0;
    await signIn(page, 'bob@example.com', 'bob-pass-1');
    await page.getByRole('heading', { name: 'Which account?' }).waitFor();
    await checkStep('account-picker');
    // Before he picks: no screen, and no account-scoped request left the page.
    expect(await page.getByRole('navigation', { name: 'Screens' }).count()).toBe(0);
    expect(requests).toEqual(['POST /rest/auth/login', 'GET /rest/accounts']);

    await page.getByRole('button', { name: /Acme Dental/ }).click();
    await openScreen(page, 'Overview');
    await page
      .getByRole('cell', { name: /^\+1201/ })
      .first()
      .waitFor();
    await openScreen(page, 'Calls');
    await page.getByRole('cell', { name: '+12015550123' }).first().waitFor();

    await page.getByRole('button', { name: 'Switch account' }).click();
    await page.getByRole('button', { name: /Bayside Realty/ }).click();
    await page.getByText('Account: Bayside Realty').waitFor();
    await openScreen(page, 'Overview');
    await page
      .getByRole('cell', { name: /^\+1415/ })
      .first()
      .waitFor();
    await checkStep('bayside-overview');
    // Acme's numbers, and the numbers alice called and texted from Acme above.
    const acme = (await rest<{ data: { tn: string }[] }>('POST', '/rest/lease/tn/search', {})).data.map(
      (n) => n.tn,
    );
    const acmeOnly = [...acme, '+12015550123', '+12015550188', ACME];
    for (const screen of ['Overview', 'Live events', 'SMS', 'Calls']) {
      await openScreen(page, screen);
      // Give any late answer for the previous account the chance to show up (it must not).
      await page.getByRole('status', { name: 'Live connection' }).getByText('Live').waitFor();
      const text = (await page.locator('main').textContent()) ?? '';
      for (const value of acmeOnly) expect(text, screen).not.toContain(value);
    }
    await signOut();
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
