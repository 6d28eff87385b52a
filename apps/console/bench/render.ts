import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The baseline page: the least a web app can do to show the same first screen (one module that
 * writes the sign-in heading), loaded from the same server the same way.
 */
const BASELINE_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baseline</title>' +
  '<script type="module" src="/baseline.js"></script></head><body><div id="app"></div></body></html>';
const BASELINE_JS = "document.getElementById('app').innerHTML = '<main><h1>Sign in</h1></main>';";

/** Serves the console build at `/` and the baseline at `/baseline.html`, on loopback. */
export async function serve(dist: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/baseline.html' || path === '/baseline.js') {
      const html = path.endsWith('.html');
      res.writeHead(200, {
        'content-type': html ? TYPES['.html'] : TYPES['.js'],
        'cache-control': 'no-store',
      });
      res.end(html ? BASELINE_HTML : BASELINE_JS);
      return;
    }
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist)) return void res.writeHead(404).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * Milliseconds from navigation start to the first contentful paint, as the browser itself records
 * it, in a fresh context (cold cache), after the page's sign-in heading is on screen.
 */
export async function firstRender(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    return await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const fcp = list.getEntriesByName('first-contentful-paint')[0];
            if (fcp !== undefined) resolve(fcp.startTime);
          }).observe({ type: 'paint', buffered: true });
        }),
    );
  } finally {
    await context.close();
  }
}
