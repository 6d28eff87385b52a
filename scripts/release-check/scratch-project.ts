import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalRegistry } from './local-registry.ts';
import type { PackedPackage } from './pack.ts';
import { run } from './run.ts';
import { SCRATCH_TOOLS } from './tools.ts';

const here = import.meta.dirname;

/** npm flags for every install: quiet, no install scripts (nothing here needs one), our scope. */
export function npmInstallFlags(registry: LocalRegistry): string[] {
  return ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', registry.scopeFlag];
}

/**
 * A fresh project outside the workspace, as a user's app would be: the libraries installed by name
 * and version from the registry, the build tools next to them, the browser apps and the Node program
 * copied in. One `npm install`, sharing the machine's npm cache.
 */
export async function createConsumerProject(
  dir: string,
  libraries: readonly PackedPackage[],
  registry: LocalRegistry,
  env: Record<string, string>,
): Promise<void> {
  mkdirSync(join(dir, 'apps'), { recursive: true });
  const manifest = {
    name: 'callwire-consumer',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(libraries.map((p) => [p.name, `^${p.version}`])),
    devDependencies: SCRATCH_TOOLS,
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of readdirSync(join(here, 'apps')))
    copyFileSync(join(here, 'apps', file), join(dir, 'apps', file));
  copyFileSync(join(here, 'fixtures', 'program.ts'), join(dir, 'program.ts'));
  await run('npm', ['install', ...npmInstallFlags(registry)], { cwd: dir, env, timeoutMs: 600_000 });
}
