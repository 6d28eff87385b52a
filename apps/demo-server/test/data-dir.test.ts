import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { defaultDataDir } from '../src/data-dir.js';

// A fake file system: a checkout at /src/callwire with the server package at apps/demo-server.
const checkout = new Set([
  '/src/callwire/pnpm-workspace.yaml',
  '/src/callwire/apps/demo-server/package.json',
]);
const exists = (path: string) => checkout.has(path);
const linux = process.platform === 'linux';

describe('where the server keeps its data when no folder is given', () => {
  it('uses .callwire-data at the root of a repository checkout, whatever the current directory', () => {
    expect(defaultDataDir('/src/callwire/apps/demo-server/dist', {}, exists)).toEqual({
      dir: join('/src/callwire', '.callwire-data'),
      origin: 'repository',
    });
  });

  it.runIf(linux)('uses $XDG_DATA_HOME/callwire when installed from npm', () => {
    const installed = '/home/u/app/node_modules/@callwire/demo-server/dist';
    expect(defaultDataDir(installed, { XDG_DATA_HOME: '/home/u/.data' }, exists)).toEqual({
      dir: '/home/u/.data/callwire',
      origin: 'user data directory',
    });
  });

  it('never uses node_modules, even for a copy installed inside a checkout', () => {
    const nested = '/src/callwire/node_modules/.pnpm/x/node_modules/@callwire/demo-server/dist';
    const { dir, origin } = defaultDataDir(nested, { XDG_DATA_HOME: '/home/u/.data' }, () => true);
    expect(origin).toBe('user data directory');
    expect(dir).not.toContain('node_modules');
  });

  it('lets --data-dir and CALLWIRE_DATA_DIR win over both defaults', () => {
    expect(parseConfig(['--data-dir', '/tmp/cw'], {})).toMatchObject({ dataDirGiven: true });
    expect(parseConfig([], { CALLWIRE_DATA_DIR: '/tmp/cw' }).config.dataDir).toBe('/tmp/cw');
    expect(parseConfig([], {}).dataDirGiven).toBe(false);
  });
});
