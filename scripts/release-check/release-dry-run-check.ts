import type { LocalRegistry } from './local-registry.ts';
import type { PackedPackage } from './pack.ts';
import { run } from './run.ts';

/**
 * `pnpm release:dry-run` lists every package a release would publish and publishes nothing. It runs
 * against a registry that has none of them (so all would be published) and refuses and counts any
 * publish request; the check fails on a single one.
 */
export async function checkReleaseDryRun(
  root: string,
  published: readonly PackedPackage[],
  emptyRegistry: LocalRegistry,
): Promise<string> {
  const { stdout, stderr } = await run(
    'pnpm',
    ['run', '--silent', 'release:dry-run', `--registry=${emptyRegistry.url}`],
    {
      cwd: root,
      timeoutMs: 600_000,
    },
  );
  const output = `${stdout}\n${stderr}`;
  const host = new URL(emptyRegistry.url).host;
  if (!output.includes(host))
    throw new Error(`the dry run did not go to the check's registry (${host}):\n${output}`);
  const missing = published.filter((p) => !output.includes(`${p.name}@${p.version}`));
  if (missing.length > 0) {
    throw new Error(`the dry run does not list ${missing.map((p) => p.name).join(', ')}:\n${output}`);
  }
  if (emptyRegistry.publishAttempts() > 0) {
    throw new Error(`the dry run sent ${emptyRegistry.publishAttempts()} publish request(s)`);
  }
  return `lists ${published.length} packages, sent no publish request`;
}
