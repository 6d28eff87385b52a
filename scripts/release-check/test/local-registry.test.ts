import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalRegistry } from '../local-registry.ts';
import { type PackedPackage, unpublishableRanges } from '../pack.ts';

const dir = mkdtempSync(join(tmpdir(), 'callwire-registry-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function packed(name: string, dependencies: Record<string, string> = {}): PackedPackage {
  const tarball = join(dir, `${name.replace('@', '').replace('/', '-')}-1.2.3.tgz`);
  const bytes = Buffer.from(`tarball of ${name}`);
  writeFileSync(tarball, bytes);
  return {
    name,
    version: '1.2.3',
    tarball,
    manifest: { name, version: '1.2.3', dependencies },
    integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
    shasum: createHash('sha1').update(bytes).digest('hex'),
  };
}

describe('the local registry of the release check', () => {
  it('serves a packument whose tarball URL downloads the packed bytes, and 404 for other names', async () => {
    const pkg = packed('@callwire/types');
    const registry = await startLocalRegistry([pkg]);
    try {
      const packument = (await (await fetch(`${registry.url}@callwire%2ftypes`)).json()) as {
        'dist-tags': { latest: string };
        versions: Record<string, { dist: { tarball: string; integrity: string } }>;
      };
      expect(packument['dist-tags'].latest).toBe('1.2.3');
      const dist = packument.versions['1.2.3']?.dist;
      expect(dist?.integrity).toBe(pkg.integrity);
      const bytes = Buffer.from(await (await fetch(dist?.tarball ?? '')).arrayBuffer());
      expect(bytes.toString()).toBe('tarball of @callwire/types');
      expect((await fetch(`${registry.url}@callwire%2fother`)).status).toBe(404);
      expect(registry.scopeFlag).toBe(`--@callwire:registry=${registry.url}`);
    } finally {
      await registry.close();
    }
  });

  it('refuses and counts publish requests', async () => {
    const registry = await startLocalRegistry([]);
    try {
      expect(registry.publishAttempts()).toBe(0);
      const response = await fetch(`${registry.url}@callwire%2ftypes`, { method: 'PUT', body: '{}' });
      expect(response.status).toBe(405);
      expect(registry.publishAttempts()).toBe(1);
    } finally {
      await registry.close();
    }
  });
});

describe('dependency ranges of packed manifests', () => {
  it('flags exact versions and workspace protocols, and accepts ranges', () => {
    const problems = unpublishableRanges([
      packed('@callwire/a', { zod: '4.6.7', ky: '^2.1.0', other: 'workspace:^' }),
      packed('@callwire/b', { zod: '^4.0.0 || ^5.0.0', x: '>=1 <3' }),
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('"zod": "4.6.7"');
    expect(problems[1]).toContain('"other": "workspace:^"');
  });
});
