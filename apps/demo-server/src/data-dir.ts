import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import envPaths from 'env-paths';

/**
 * Where the SQLite database lives when no flag or variable says so. The rule, first match wins:
 * 1. `--data-dir` or `CALLWIRE_DATA_DIR` (handled by the caller: it never asks us);
 * 2. a checkout of the Callwire repository: `.callwire-data/` at its root, so `pnpm start` keeps its
 *    data next to the code, whatever the current directory;
 * 3. anywhere else (installed from npm, run with npx): the user's data directory, `callwire/` under
 *    `$XDG_DATA_HOME` or `~/.local/share` on Linux (the platform's equivalent elsewhere). Never inside
 *    `node_modules`, which package managers delete and share between projects.
 */

export type DataDirOrigin = 'repository' | 'user data directory';

export interface DefaultDataDir {
  dir: string;
  origin: DataDirOrigin;
}

/**
 * The repository root when `moduleDir` (the folder of the running server code, `dist/` or `src/`) is
 * inside a checkout of this repository: a package at `apps/demo-server` under a pnpm workspace root, not
 * inside any `node_modules` (an installed copy never counts, even when it sits inside some checkout).
 */
export function repositoryRoot(
  moduleDir: string,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  if (moduleDir.split(sep).includes('node_modules')) return undefined;
  const root = join(moduleDir, '..', '..', '..');
  const isCheckout =
    exists(join(root, 'pnpm-workspace.yaml')) && exists(join(root, 'apps', 'demo-server', 'package.json'));
  return isCheckout ? root : undefined;
}

/** The default data folder for a server whose code is in `moduleDir`, given the environment. */
export function defaultDataDir(
  moduleDir: string,
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean = existsSync,
): DefaultDataDir {
  const root = repositoryRoot(moduleDir, exists);
  if (root !== undefined) return { dir: join(root, '.callwire-data'), origin: 'repository' };
  // env-paths reads XDG_DATA_HOME from process.env; an explicit env (tests, embedders) wins over it.
  const xdg = env.XDG_DATA_HOME;
  const dir =
    process.platform !== 'win32' && process.platform !== 'darwin' && xdg !== undefined && xdg !== ''
      ? join(xdg, 'callwire')
      : envPaths('callwire', { suffix: '' }).data;
  return { dir, origin: 'user data directory' };
}
