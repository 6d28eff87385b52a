import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../../..');
const require = createRequire(import.meta.url);

/** Debian's chromium, never a downloaded browser. */
export function findChromium(): string {
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
  if (found === '') throw new Error('chromium is not installed (apt-get install chromium)');
  return found;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Builds types, auth-core and rest-client (their `dist/`, what npm would ship), then bundles the
 * built ESM for browsers with rolldown (which tsdown brings): one file, ky and zod included.
 */
export async function bundleBuiltClient(): Promise<string> {
  const tsdown = require.resolve('tsdown/package.json');
  const bin = join(dirname(tsdown), 'dist/run.mjs');
  for (const pkg of ['types', 'auth-core', 'rest-client']) {
    execFileSync(process.execPath, [bin], { cwd: join(root, 'packages', pkg), stdio: 'pipe' });
  }
  const fromTsdown = createRequire(tsdown);
  const { build } = (await import(fromTsdown.resolve('rolldown'))) as {
    build: (options: Record<string, unknown>) => Promise<{ output: ({ code?: string } & object)[] }>;
  };
  const result = await build({
    input: join(here, 'rest-browser-entry.ts'),
    platform: 'browser',
    // No `source` condition: the packages resolve to their built dist/.
    resolve: { conditionNames: ['browser', 'import', 'default'] },
    output: { format: 'esm', minify: false },
    write: false,
  });
  return result.output.map((chunk) => chunk.code ?? '').join('\n');
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
