import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, readJsonFile, writeFileAtomic } from './atomic-write.js';

const posix = process.platform !== 'win32';

describe('writeFileAtomic', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'callwire-cli-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.runIf(posix)('creates the folder 0700 and the file 0600', async () => {
    const dir = join(root, 'nested', 'callwire');
    const file = join(dir, 'credentials.json');
    await writeFileAtomic(file, '{"a":1}');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe('{"a":1}');
  });

  it.runIf(posix)('tightens an existing folder that is too open', async () => {
    const dir = join(root, 'open');
    await ensurePrivateDir(dir);
    await chmod(dir, 0o755);
    await writeFileAtomic(join(dir, 'x.json'), '{}');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it.runIf(posix)('replaces a world-readable file with a 0600 one', async () => {
    const file = join(root, 'c.json');
    await writeFile(file, 'old', { mode: 0o644 });
    await writeFileAtomic(file, 'new');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe('new');
  });

  it('writes through a temporary file and leaves none behind', async () => {
    const file = join(root, 'c.json');
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeFileAtomic(file, JSON.stringify({ i }))));
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { i: number };
    expect(parsed.i).toBeGreaterThanOrEqual(0);
    expect((await readdir(root)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the old file when the write fails', async () => {
    const file = join(root, 'c.json');
    await writeFileAtomic(file, 'old');
    // A folder where the file should go makes rename fail after the temp file was written.
    const blocked = join(root, 'dir-as-target');
    await ensurePrivateDir(join(blocked, 'inner'));
    await expect(writeFileAtomic(blocked, 'x')).rejects.toThrow();
    expect(await readFile(file, 'utf8')).toBe('old');
    expect((await readdir(root)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('readJsonFile', () => {
  it('returns undefined for a missing file and says which file is corrupt', async () => {
    const root = await mkdtemp(join(tmpdir(), 'callwire-cli-'));
    try {
      expect(await readJsonFile(join(root, 'missing.json'))).toBeUndefined();
      await writeFile(join(root, 'bad.json'), '{nope');
      await expect(readJsonFile(join(root, 'bad.json'))).rejects.toThrow(/bad\.json is not valid JSON/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
