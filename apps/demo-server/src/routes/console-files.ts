import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One file of the built console, held in memory with its gzip form. */
export interface ConsoleFile {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Where the console build is: copied next to the bundled server at build time (`dist/console`),
 * which is also where it is found when running from source in the workspace.
 */
export function defaultConsoleDir(): string | undefined {
  const candidates = [
    new URL('./console/', import.meta.url),
    new URL('../../dist/console/', import.meta.url),
  ];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/**
 * Reads the whole build into memory once, at start: it is small, and serving from a map keyed by
 * URL path means no request path ever reaches the file system (no traversal to guard against).
 * Returns undefined when the folder has no `index.html`.
 */
export function loadConsoleFiles(dir: string | undefined): Map<string, ConsoleFile> | undefined {
  if (dir === undefined || !existsSync(join(dir, 'index.html'))) return undefined;
  const files = new Map<string, ConsoleFile>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const type = TYPES[extname(entry.name).toLowerCase()];
    if (type === undefined) continue;
    const body = readFileSync(path);
    const compressible = !type.startsWith('image/png') && !type.startsWith('font/');
    const gzip = compressible && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined;
    files.set(`/${relative(dir, path).split(sep).join('/')}`, { body, gzip, type });
  }
  return files;
}
