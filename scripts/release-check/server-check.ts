import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalRegistry } from './local-registry.ts';
import type { PackedPackage } from './pack.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';

/** The package spec given to npx. */
export function serverSpec(server: PackedPackage): string {
  return `${server.name}@${server.version}`;
}

/** `npx @callwire/demo-server …` in an empty folder: nothing but Node and npm. */
export function startDemoServer(
  dir: string,
  server: PackedPackage,
  registry: LocalRegistry,
  env: Record<string, string>,
  flags: readonly string[],
): Promise<ServerProcess> {
  mkdirSync(dir, { recursive: true });
  return startServerProcess(
    'npx',
    ['--yes', registry.scopeFlag, serverSpec(server), ...flags],
    // The first run installs the server into npm's npx cache.
    { cwd: dir, env, timeoutMs: 300_000 },
  );
}

async function expectPage(url: string, contains: string): Promise<void> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok || !text.includes(contains)) {
    throw new Error(`${url} answered ${response.status} without "${contains}"`);
  }
}

/**
 * `/` is the built console (not the fallback page a server without its console build shows), and
 * every script and stylesheet it names is served: the assets are inside the published package.
 */
async function checkConsole(url: string): Promise<void> {
  const response = await fetch(`${url}/`);
  const html = await response.text();
  if (!response.ok || response.headers.get('content-security-policy') === null) {
    throw new Error(`/ answered ${response.status} without the built console:\n${html.slice(0, 300)}`);
  }
  const assets = [...html.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
  if (assets.length === 0) throw new Error(`the console page names no /assets/ file:\n${html.slice(0, 300)}`);
  for (const asset of assets) {
    const file = await fetch(`${url}${asset}`);
    await file.arrayBuffer();
    if (!file.ok) throw new Error(`the console's ${asset} answered ${file.status}`);
  }
}

/** The running server answers its API, its API docs (with their assets) and its console. */
export async function checkServerServes(url: string): Promise<string[]> {
  await expectPage(`${url}/healthz`, '');
  await expectPage(`${url}/openapi.json`, '"openapi"');
  await expectPage(`${url}/docs`, 'swagger');
  await expectPage(`${url}/docs/static/swagger-ui-bundle.js`, 'SwaggerUI');
  await checkConsole(url);
  const login = await fetch(`${url}/rest/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice@example.com', password: 'wrong-password' }),
  });
  const body = (await login.json()) as { success?: boolean; error?: { code?: string } };
  if (login.status !== 401 || body.success !== false) {
    throw new Error(
      `a wrong password got ${login.status} ${JSON.stringify(body)}, not the 401 error envelope`,
    );
  }
  return ['/healthz', '/openapi.json', '/docs (and its assets)', '/ (console)', 'POST /rest/auth/login'];
}

/**
 * Without --memory or --data-dir the installed server keeps its database in the user's data
 * directory (`$XDG_DATA_HOME/callwire` here) and says so in its banner; never in node_modules.
 */
export async function checkDataDirectory(
  dir: string,
  server: PackedPackage,
  registry: LocalRegistry,
  env: Record<string, string>,
): Promise<string> {
  const xdg = join(dir, 'xdg-data');
  const running = await startDemoServer(dir, server, registry, { ...env, XDG_DATA_HOME: xdg }, [
    '--port',
    '0',
  ]);
  try {
    const line = /^Database: (.*)$/m.exec(running.banner)?.[1] ?? '';
    const expected = join(xdg, 'callwire');
    if (!line.startsWith(expected) || line.includes('node_modules')) {
      throw new Error(`the banner says "Database: ${line}", expected a file in ${expected}`);
    }
    if (!existsSync(line)) throw new Error(`the banner names ${line}, which does not exist`);
    return line;
  } finally {
    await running.stop();
  }
}
