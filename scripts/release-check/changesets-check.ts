import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PackedPackage } from './pack.ts';
import { run } from './run.ts';

interface WorkspacePackage {
  name: string;
  path: string;
}

/**
 * `changeset version` on a scratch copy of the workspace's manifests and pending changesets (the repo
 * itself is never touched): every published package must come out with a CHANGELOG.md whose newest
 * entry is its new version. Returns one line per package: name, old → new version.
 */
export async function checkChangesetVersion(
  root: string,
  scratch: string,
  published: readonly PackedPackage[],
): Promise<string[]> {
  const { stdout } = await run('pnpm', ['ls', '--recursive', '--depth', '-1', '--json'], { cwd: root });
  const workspace = JSON.parse(stdout) as WorkspacePackage[];
  mkdirSync(scratch, { recursive: true });
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset']) {
    cpSync(join(root, file), join(scratch, file), { recursive: true });
  }
  for (const pkg of workspace) {
    const rel = relative(root, pkg.path);
    if (rel === '') continue;
    for (const file of ['package.json', 'CHANGELOG.md']) {
      const from = join(pkg.path, file);
      if (existsSync(from)) cpSync(from, join(scratch, rel, file));
    }
  }
  await run(join(root, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: scratch });

  const lines: string[] = [];
  for (const pkg of published) {
    const dir = join(scratch, relative(root, workspace.find((w) => w.name === pkg.name)?.path ?? ''));
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
      .version;
    const changelog = join(dir, 'CHANGELOG.md');
    if (!existsSync(changelog)) throw new Error(`changeset version wrote no CHANGELOG.md for ${pkg.name}`);
    if (!readFileSync(changelog, 'utf8').includes(`## ${version}`)) {
      throw new Error(`the CHANGELOG.md of ${pkg.name} has no entry for ${version}`);
    }
    lines.push(`${pkg.name} ${pkg.version} → ${version}, CHANGELOG.md written`);
  }
  return lines;
}
