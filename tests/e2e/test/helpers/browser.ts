import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/**
 * Headless Chromium for the browser tests: the system's `chromium` (never a downloaded browser),
 * pages built from the packages' BUILT output (dist/) with rolldown, served by a tiny static server.
 */

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

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

/** The system Chromium, or undefined when it is not installed (tests then skip). */
export function chromiumPath(): string | undefined {
  try {
    const path = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
    return path.length > 0 ? path : undefined;
  } catch {
    return undefined;
  }
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) throw new Error('chromium is not installed');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** Builds the given workspace packages (tsdown) when their dist/ is missing or older than src/. */
export function ensureBuilt(packages: readonly string[]): void {
  for (const name of packages) {
    const dir = join(REPO, 'packages', name);
    const built = join(dir, 'dist', 'index.js');
    if (existsSync(built) && statSync(built).mtimeMs >= newest(join(dir, 'src'))) continue;
    execFileSync('pnpm', ['--filter', `@callwire/${name}`, 'build'], { cwd: REPO, stdio: 'ignore' });
  }
}

/**
 * Bundles `source` (an ES module that imports workspace packages by name) for the browser. Packages
 * resolve through their `default` export condition, i.e. their built dist/, never the TypeScript source.
 */
export async function bundleForBrowser(source: string, resolveFrom: string): Promise<string> {
  // rolldown is tsdown's bundler; take it from there rather than adding a dependency.
  const requireFromTsdown = createRequire(createRequire(join(REPO, 'package.json')).resolve('tsdown'));
  const { rolldown } = (await import(requireFromTsdown.resolve('rolldown'))) as { rolldown: Rolldown };
  const entry = '\0browser-entry.js';
  const bundle = await rolldown({
    input: entry,
    platform: 'browser',
    resolve: { conditionNames: ['browser', 'import', 'default'] },
    logLevel: 'silent',
    plugins: [
      {
        name: 'virtual-entry',
        resolveId(id, importer) {
          if (id === entry) return id;
          // Bare imports of the entry resolve as if from the given package directory.
          if (importer === entry && !id.startsWith('.'))
            return this.resolve(id, join(resolveFrom, 'index.js'));
          return null;
        },
        load(id) {
          return id === entry ? source : null;
        },
      },
    ],
  });
  const { output } = await bundle.generate({ format: 'esm' });
  await bundle.close();
  return output[0].code;
}

/** The part of rolldown's API used here (it is not a dependency of this workspace, so no types). */
interface ResolvePluginContext {
  resolve(id: string, importer: string): Promise<unknown>;
}
type Rolldown = (options: {
  input: string;
  platform: 'browser';
  resolve: { conditionNames: string[] };
  logLevel: 'silent';
  plugins: {
    name: string;
    resolveId(this: ResolvePluginContext, id: string, importer: string | undefined): unknown;
    load(id: string): string | null;
  }[];
}) => Promise<{
  generate(options: { format: 'esm' }): Promise<{ output: [{ code: string }, ...unknown[]] }>;
  close(): Promise<void>;
}>;

export interface StaticSite {
  url: string;
  close(): Promise<void>;
}

/** Serves `files` (path → body) from 127.0.0.1; `.js` as JavaScript, the rest as HTML. */
export async function serveStatic(files: Record<string, string>): Promise<StaticSite> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = files[path];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
