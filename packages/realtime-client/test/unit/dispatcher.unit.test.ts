import { type CallwireEvent, parseEventLenient } from '@callwire/types';
import { describe, expect, it } from 'vitest';
import { Consumers } from '../../src/consumers.js';
import { createCounters } from '../../src/counters.js';
import { CursorWriter, createMemoryCursorStore } from '../../src/cursor-store.js';
import { joinWindow } from '../../src/dedupe.js';
import { Dispatcher } from '../../src/dispatcher.js';
import { Emitter } from '../../src/emitter.js';
import type { UnknownEventNotice } from '../../src/event-types.js';
import { createEventValidator } from '../../src/event-validator.js';
import { type RawEvent, Subscription } from '../../src/subscription.js';
import { callEvent as fixture } from '../helpers/fixtures.js';

const callEvent = (seq: number) => fixture(seq) as unknown as RawEvent;

function setup(maxQueue = 100) {
  const counters = createCounters();
  const store = createMemoryCursorStore();
  const writes: [string, number][] = [];
  const cursors = new CursorWriter(
    {
      get: store.get,
      set: (key, seq) => {
        writes.push([key, seq]);
        store.set(key, seq);
      },
    },
    () => {},
  );
  let dispatcher!: Dispatcher;
  const consumers = new Consumers({
    handlerFailed: () => {},
    dropped: () => {},
    commit: (sub, seq) => dispatcher.commit(sub, seq),
  });
  const unknown: UnknownEventNotice[] = [];
  const host = { overflows: 0, drains: 0 };
  dispatcher = new Dispatcher(
    { validate: createEventValidator(parseEventLenient), consumers, counters, cursors, maxQueue },
    {
      overflow: () => {
        host.overflows += 1;
        return true;
      },
      drained: () => {
        host.drains += 1;
      },
      unknown: (notice) => unknown.push(notice),
      error: () => {},
    },
  );
  const made: Subscription[] = [];
  const sub = (key: string, types = ['*']) => {
    const s = new Subscription({
      key,
      types,
      accountId: 'a',
      committer: dispatcher,
    });
    joinWindow(s, made);
    made.push(s);
    return s;
  };
  return { dispatcher, consumers, counters, writes, unknown, host, sub };
}

describe('dispatcher', () => {
  it('delivers in acceptance order, awaiting async handlers, and writes each cursor once per burst', async () => {
    const { dispatcher, consumers, writes, sub } = setup();
    const a = sub('a');
    const seen: number[] = [];
    let release!: () => void;
    consumers.addHandler('*', (event) => {
      seen.push(event.seq);
      if (event.seq === 1) return new Promise<void>((r) => (release = r));
    });
    for (let seq = 1; seq <= 4; seq++) dispatcher.accept(a, callEvent(seq), true);
    expect(seen).toEqual([1]);
    expect(dispatcher.queued).toBe(3);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(writes).toEqual([['a', 4]]);
  });

  it('a handler added or removed between two events of one type takes effect from the next event', () => {
    const { dispatcher, consumers, sub } = setup();
    const a = sub('a');
    const ringing = (seq: number) => fixture(seq, 'call.ringing') as unknown as RawEvent;
    const first: number[] = [];
    const second: number[] = [];
    const stop = consumers.addHandler('call.ringing', (event) => {
      first.push(event.seq);
    });
    dispatcher.accept(a, ringing(1), true);
    consumers.addHandler('call.*', (event) => {
      second.push(event.seq);
    });
    dispatcher.accept(a, ringing(2), true);
    stop();
    dispatcher.accept(a, ringing(3), true);
    const stream = consumers.addStream({}, undefined);
    dispatcher.accept(a, ringing(4), true);
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([2, 3, 4]);
    expect(stream.buffered).toBe(1);
  });

  it('drops a duplicate seq at the gate, and one another subscription of the account already delivered', () => {
    const { dispatcher, consumers, counters, sub } = setup();
    const calls = sub('calls', ['call.*']);
    const all = sub('all');
    const seen: number[] = [];
    consumers.addHandler('*', (event: CallwireEvent) => {
      seen.push(event.seq);
    });
    dispatcher.accept(calls, callEvent(1), true);
    dispatcher.accept(all, callEvent(1), true);
    expect(dispatcher.accept(calls, callEvent(1), true)).toBe(false);
    expect(seen).toEqual([1]);
    expect(counters.duplicatesDropped).toBe(2);
    expect(calls.committed).toBe(1);
    expect(all.committed).toBe(1);
  });

  it('hands an event that fails its schema to onUnknown and moves the cursor past it', () => {
    const { dispatcher, unknown, counters, sub } = setup();
    const a = sub('a');
    const bad: RawEvent = { ...callEvent(7), payload: { nonsense: true } };
    dispatcher.accept(a, bad, true);
    expect(unknown).toMatchObject([{ knownType: true, event: { seq: 7 } }]);
    expect(counters.unknown).toBe(1);
    expect(a.committed).toBe(7);
  });

  it('past maxQueue it asks once to stop reading, and once drained to half to read again', async () => {
    const { dispatcher, consumers, host, counters, sub } = setup(4);
    const a = sub('a');
    let release!: () => void;
    consumers.addHandler('*', async (event) => {
      if (event.seq === 1) await new Promise<void>((r) => (release = r));
    });
    for (let seq = 1; seq <= 8; seq++) dispatcher.accept(a, callEvent(seq), true);
    expect(host.overflows).toBe(1);
    expect(counters.sheds).toBe(1);
    const room = dispatcher.room();
    release();
    await room;
    await new Promise((r) => setTimeout(r, 0));
    expect(host.drains).toBe(1);
    expect(dispatcher.queued).toBe(0);
  });
});

describe('emitter', () => {
  it('calls listeners by name, isolates one that throws, and forgets all on close', () => {
    const emitter = new Emitter<{ state: string; error: unknown }>();
    const got: string[] = [];
    const failures: unknown[] = [];
    emitter.on('state', () => {
      throw new Error('boom');
    });
    const off = emitter.on('state', (s) => got.push(s));
    emitter.emit('state', 'open', (e) => failures.push(e));
    off();
    emitter.emit('state', 'closed', (e) => failures.push(e));
    expect(got).toEqual(['open']);
    expect(failures).toHaveLength(2);
    expect(() => emitter.on('error', 5 as unknown as () => void)).toThrow(TypeError);
    emitter.close();
    expect(emitter.has('state')).toBe(false);
    emitter.on('state', (s) => got.push(s));
    emitter.emit('state', 'again', () => {});
    expect(got).toEqual(['open']);
  });
});
