import { describe, expect, it } from 'vitest';
import { CursorWriter, createMemoryCursorStore, createStorageCursorStore } from '../src/cursor-store.js';

describe('cursor stores', () => {
  it('a Storage-backed store round-trips seqs and ignores garbage', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => data.set(k, v),
    };
    const store = createStorageCursorStore(storage);
    expect(store.get('a')).toBeUndefined();
    store.set('a', 42);
    expect(data.get('callwire.cursor.a')).toBe('42');
    expect(store.get('a')).toBe(42);
    data.set('callwire.cursor.b', 'not a number');
    expect(store.get('b')).toBeUndefined();
  });

  it('coalesces writes: one in flight per key, then only the newest value', async () => {
    const writes: [string, number][] = [];
    let release!: () => void;
    const store = {
      get: () => undefined,
      set: (key: string, seq: number) => {
        writes.push([key, seq]);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    };
    const writer = new CursorWriter(store, () => {});
    for (let seq = 1; seq <= 100; seq++) writer.write('k', seq);
    expect(writes).toEqual([['k', 1]]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(writes).toEqual([
      ['k', 1],
      ['k', 100],
    ]);
    release();
    await writer.flushed();
  });

  it('a failing store is reported and never throws into the event path', () => {
    const errors: unknown[] = [];
    const writer = new CursorWriter(
      {
        get: () => undefined,
        set: () => {
          throw new Error('disk full');
        },
      },
      (error) => errors.push(error),
    );
    expect(() => writer.write('k', 1)).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(createMemoryCursorStore({ x: 3 }).get('x')).toBe(3);
  });
});
