import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.ts';

/**
 * npx installs a package once per spec into `<npm cache>/_npx/<hash of the spec>` and reuses that
 * copy whenever the version still matches. Every run of the check packs the same version again, so
 * the copy a previous run installed must go, or npx would start yesterday's server. This removes
 * exactly the folder npx uses for `spec` (the same hash npm computes), nothing else of the cache.
 */
export async function forgetNpxInstall(spec: string, env: Record<string, string>): Promise<void> {
  const { stdout } = await run('npm', ['config', 'get', 'cache'], { cwd: env.HOME ?? '/', env });
  const hash = createHash('sha512').update(spec).digest('hex').slice(0, 16);
  rmSync(join(stdout.trim(), '_npx', hash), { recursive: true, force: true });
}
