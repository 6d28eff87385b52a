import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import type { PackedPackage } from './pack.ts';

/**
 * A registry for the `@callwire` scope only, serving the packed tarballs, so scratch projects install
 * `@callwire/rest-client` by name exactly as users do, while every other package comes from the
 * machine's own registry. It also means a package of the same name on a public registry can never
 * slip into the check. Publishing to it is refused and counted, so a dry run can prove it sent nothing.
 */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** npm's flag routing the scope here: `--@callwire:registry=<url>`. */
  scopeFlag: string;
  /** Requests that tried to publish (PUT), which are answered 405. */
  publishAttempts(): number;
  close(): Promise<void>;
}

export async function startLocalRegistry(packages: readonly PackedPackage[]): Promise<LocalRegistry> {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const byFile = new Map(packages.map((p) => [basename(p.tarball), p]));
  let publishes = 0;
  let url = '';

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    if (req.method === 'PUT') {
      publishes += 1;
      res
        .writeHead(405, { 'content-type': 'application/json' })
        .end('{"error":"this registry never publishes"}');
      return;
    }
    // Never cached: every run packs new tarballs under the same names.
    const headers = { 'cache-control': 'no-store' };
    const file = path.startsWith('/-/') ? byFile.get(path.slice(3)) : undefined;
    if (file !== undefined) {
      res
        .writeHead(200, { ...headers, 'content-type': 'application/octet-stream' })
        .end(readFileSync(file.tarball));
      return;
    }
    const pkg = byName.get(path.slice(1));
    if (pkg === undefined) {
      res.writeHead(404, { ...headers, 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const version = {
      ...pkg.manifest,
      _id: `${pkg.name}@${pkg.version}`,
      dist: {
        tarball: `${url}-/${basename(pkg.tarball)}`,
        integrity: pkg.integrity,
        shasum: pkg.shasum,
      },
    };
    const packument = {
      _id: pkg.name,
      name: pkg.name,
      'dist-tags': { latest: pkg.version },
      versions: { [pkg.version]: version },
    };
    res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(packument));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    scopeFlag: `--@callwire:registry=${url}`,
    publishAttempts: () => publishes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
