import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.ts';

/** A publishable package as `pnpm pack` made it: the tarball users would download, and its manifest. */
export interface PackedPackage {
  name: string;
  version: string;
  /** Absolute path of the `.tgz`. */
  tarball: string;
  /** `package/package.json` from inside the tarball (workspace: and catalog: already rewritten). */
  manifest: PackedManifest;
  /** `sha512-…`, as npm checks it. */
  integrity: string;
  /** sha1 hex, for older npm clients. */
  shasum: string;
}

export interface PackedManifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string> | string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface WorkspacePackage {
  name: string;
  path: string;
  private?: boolean;
}

/** Every workspace package that is not private, packed into `destination`. */
export async function packPublishable(root: string, destination: string): Promise<PackedPackage[]> {
  const { stdout } = await run('pnpm', ['ls', '--recursive', '--depth', '-1', '--json'], { cwd: root });
  const publishable = (JSON.parse(stdout) as WorkspacePackage[]).filter(
    (p) => p.private !== true && p.path !== root,
  );
  const packed: PackedPackage[] = [];
  for (const pkg of publishable) {
    const before = new Set(readdirSync(destination));
    await run('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.path });
    const made = readdirSync(destination).find((f) => f.endsWith('.tgz') && !before.has(f));
    if (made === undefined) throw new Error(`pnpm pack made no tarball for ${pkg.name}`);
    const tarball = join(destination, made);
    const { stdout: json } = await run('tar', ['-xzOf', tarball, 'package/package.json'], {
      cwd: destination,
    });
    const manifest = JSON.parse(json) as PackedManifest;
    const bytes = readFileSync(tarball);
    packed.push({
      name: manifest.name,
      version: manifest.version,
      tarball,
      manifest,
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
    });
  }
  return packed;
}

/** An exact version (`4.6.7`) makes every app on another release of that library carry a second copy. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;

/** Dependencies written as exact versions or as workspace/catalog protocols the registry cannot serve. */
export function unpublishableRanges(packed: readonly PackedPackage[]): string[] {
  const problems: string[] = [];
  for (const { manifest } of packed) {
    for (const field of ['dependencies', 'peerDependencies'] as const) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (EXACT_VERSION.test(range) || /^(workspace|catalog|link|file):/.test(range)) {
          problems.push(
            `${manifest.name} ${field}: "${dep}": "${range}" (write a range such as ^${range.replace(/^\D+/, '')})`,
          );
        }
      }
    }
  }
  return problems;
}
