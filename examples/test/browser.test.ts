import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { RunningServer } from '@callwire/demo-server';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from './demo-server.ts';

function chromiumPath(): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
        encoding: 'utf8',
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

const executablePath = chromiumPath();
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

let api: RunningServer;
let site: Server;
let siteUrl: string;
let browser: Browser;
let outDir: string;

beforeAll(async () => {
  api = await startDemoServer();
  outDir = mkdtempSync(join(tmpdir(), 'callwire-browser-example-'));
  // The page as Vite builds it for production; the packages come from their sources here.
  await build({
    configFile: false,
    root: join(import.meta.dirname, '..', 'browser'),
    logLevel: 'silent',
    resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
    build: { outDir, emptyOutDir: true },
  });
  site = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = readFileSync(join(outDir, path === '/' ? 'index.html' : path));
      res
        .writeHead(200, { 'content-type': TYPES[extname(path) || '.html'] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  if (executablePath !== undefined) {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await api?.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe.skipIf(executablePath === undefined)('browser example (Vite, headless Chromium)', () => {
  it('signs in, sends an SMS and shows its events as they arrive over the websocket', async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl}/?api=${encodeURIComponent(api.url)}`);
    await page.click('#login button');
    await page.waitForSelector('text=Signed in to Acme Dental');
    await page.click('#send');
    // The event and the send's own answer race each other; wait for both.
    await page.waitForSelector('#events li');
    await page.waitForSelector('text=/^Sent SMS /');
    expect(await page.textContent('#events li')).toMatch(
      /^sms\.created to \+12015550123: Hello from the browser/,
    );
    expect(await page.textContent('#status')).toMatch(/^Sent SMS [0-9a-f-]{36}\.$/);
    await page.close();
  });
});
