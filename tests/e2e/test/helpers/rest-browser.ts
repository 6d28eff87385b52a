import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, ensureBuilt } from './browser.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/**
 * The BUILT rest-client (its dist/, what npm ships) with auth-core and types, bundled for browsers.
 * rest-client is rebuilt every time so the test never runs a stale dist of the code under test.
 */
export async function bundleBuiltClient(): Promise<string> {
  ensureBuilt(['types', 'auth-core']);
  const tsdown = createRequire(join(REPO, 'package.json')).resolve('tsdown/package.json');
  execFileSync(process.execPath, [join(dirname(tsdown), 'dist/run.mjs')], {
    cwd: join(REPO, 'packages/rest-client'),
    stdio: 'pipe',
  });
  return bundleForBrowser(
    "export { createBasicAuth } from '@callwire/auth-core';\nexport { createClient } from '@callwire/rest-client';\nexport { validateResponses } from '@callwire/rest-client/validation';\n",
    join(REPO, 'tests/e2e'),
  );
}

/**
 * One origin for the page and the API: serves the page and the bundle, and passes `/rest/*` on to
 * the demo server, so the browser makes same-origin requests and the server needs no CORS.
 */
export async function startPageServer(apiPort: number, bundle: string) {
  // The page loads the bundle as a module and hands it to the test as `window.callwire`.
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>callwire</title>' +
    '<script type="module">import * as lib from "/client.js"; window.callwire = lib;</script></head><body></body></html>';
  const server = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    if (req.url === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(bundle);
      return;
    }
    if (req.url?.startsWith('/rest/')) {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: apiPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
