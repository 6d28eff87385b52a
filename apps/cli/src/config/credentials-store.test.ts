import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { CredentialStore, type StoredSessionRecord } from './credentials-store.js';

const record: StoredSessionRecord = {
  version: 1,
  token: 'tok-abcdef',
  refreshToken: 'ref-abcdef',
  expiresAt: 1_900_000_000_000,
  refreshExpiresAt: 1_900_000_100_000,
  issuedAt: 1_899_999_000_000,
  accountId: '11111111-1111-4111-8111-111111111111',
  userId: '22222222-2222-4222-8222-222222222222',
  generation: 1,
};

describe('CredentialStore', () => {
  let root: string;
  let dir: string;
  let store: CredentialStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'callwire-cli-'));
    dir = join(root, 'callwire');
    store = new CredentialStore(join(dir, 'credentials.json'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('round-trips sessions per profile and keeps other profiles', async () => {
    const sessions = store.sessionStore('default', 'bob@example.com');
    await sessions.set('default', record);
    await store.set('work', { type: 'api_token', token: 'api-xyz-123' });
    expect(await sessions.get('default')).toEqual(record);
    expect(await store.get('work')).toEqual({ type: 'api_token', token: 'api-xyz-123' });
    expect(await store.delete('default')).toBe(true);
    expect(await sessions.get('default')).toBeUndefined();
    expect(await store.get('work')).toBeDefined();
    expect(await store.delete('nope')).toBe(false);
  });

  it.runIf(process.platform !== 'win32')('writes the file 0600 inside a 0700 folder', async () => {
    await store.sessionStore('default', 'bob@example.com').set('default', record);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('never writes a password, even if one rides along', async () => {
    await store.sessionStore('default', 'bob@example.com').set('default', {
      ...record,
      password: 'bob-pass-1',
    } as StoredSessionRecord);
    await store.set('x', { type: 'session', username: 'u', sessions: {}, password: 'bob-pass-1' } as never);
    expect(await readFile(store.path, 'utf8')).not.toContain('bob-pass-1');
  });

  it('keeps the newer session when an older refresh result arrives late', async () => {
    const sessions = store.sessionStore('default', 'bob@example.com');
    await sessions.set('default', { ...record, token: 'new-token', generation: 3 });
    await sessions.set('default', { ...record, token: 'stale-token', generation: 2 });
    expect((await sessions.get('default'))?.token).toBe('new-token');
  });

  it('serialises concurrent writes so none is lost', async () => {
    const sessions = store.sessionStore('default', 'bob@example.com');
    const ids = Array.from({ length: 10 }, (_, i) => `acc-${i}`);
    await Promise.all(ids.map((id) => sessions.set(id, { ...record, accountId: id })));
    for (const id of ids) expect((await sessions.get(id))?.accountId).toBe(id);
  });

  it('ignores entries it cannot use instead of failing', async () => {
    await writeFileAtomic(store.path, JSON.stringify({ profiles: { a: { type: 'session' }, b: 7 } }));
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBeUndefined();
  });
});
