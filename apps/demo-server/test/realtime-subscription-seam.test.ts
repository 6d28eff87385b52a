import { describe, expect, it } from 'vitest';
import { EventBus } from '../src/events/event-bus.js';
import type { PublishedEvent } from '../src/events/published-event.js';
import {
  type BacklogReader,
  ClientSubscription,
  type FrameSink,
} from '../src/realtime/client-subscription.js';

const ACCOUNT = '00000000-0000-4000-8000-000000000001';

function ev(seq: number, type = 'call.ringing'): PublishedEvent {
  return { accountId: ACCOUNT, seq, type, json: JSON.stringify({ seq, type }) };
}

class Sink implements FrameSink {
  open = true;
  readonly seqs: number[] = [];
  send(frame: string): void {
    this.seqs.push((JSON.parse(frame) as { event: { seq: number } }).event.seq);
  }
  together(sends: () => void): void {
    sends();
  }
  async drained(): Promise<void> {}
}

/**
 * A log whose reads yield to the event loop, so that events can be committed and published while a
 * replay is reading: exactly the window where a naive implementation loses or duplicates events.
 */
function log(bus: EventBus, initial: number): { reader: BacklogReader; commit: () => void } {
  const events: PublishedEvent[] = [];
  for (let s = 1; s <= initial; s++) events.push(ev(s));
  return {
    reader: {
      async lastSeq() {
        await new Promise((r) => setImmediate(r));
        return events.length;
      },
      async readAfter(_account, afterSeq, limit) {
        await new Promise((r) => setImmediate(r));
        return events.filter((e) => e.seq > afterSeq).slice(0, limit);
      },
    },
    commit() {
      const e = ev(events.length + 1);
      events.push(e);
      bus.deliver(ACCOUNT, [e]);
    },
  };
}

describe('replay then live, at the seam', () => {
  it('delivers every event exactly once, in order, while events are committed during the replay', async () => {
    const bus = new EventBus((e) => {
      throw e;
    });
    const { reader, commit } = log(bus, 1200);
    const sink = new Sink();
    const sub = new ClientSubscription({
      uuid: crypto.randomUUID(),
      accountId: ACCOUNT,
      patterns: ['*'],
      sink,
    });
    const committing = (async () => {
      for (let i = 0; i < 300; i++) {
        commit();
        await new Promise((r) => setImmediate(r));
      }
    })();
    let ready: { lastSeq: number; recovered: boolean } | undefined;
    await sub.start({ bus, reader, afterSeq: 100, maxReplay: 100_000, ready: (r) => (ready = r) });
    await committing;
    expect(ready?.recovered).toBe(true);
    expect(sink.seqs).toEqual(Array.from({ length: 1400 }, (_, i) => i + 101));
  });

  it('answers recovered: false when the event after after_seq is no longer retained', async () => {
    const bus = new EventBus(() => {});
    const reader: BacklogReader = {
      lastSeq: async () => 50,
      readAfter: async (_a, after) => [ev(Math.max(after + 1, 20))],
    };
    const sink = new Sink();
    const sub = new ClientSubscription({
      uuid: crypto.randomUUID(),
      accountId: ACCOUNT,
      patterns: ['*'],
      sink,
    });
    let ready: { lastSeq: number; recovered: boolean } | undefined;
    await sub.start({ bus, reader, afterSeq: 5, maxReplay: 1000, ready: (r) => (ready = r) });
    expect(ready).toEqual({ lastSeq: 50, recovered: false });
    expect(sink.seqs).toEqual([]);
    bus.deliver(ACCOUNT, [ev(51)]);
    expect(sink.seqs).toEqual([51]);
  });

  it('filters by pattern but still advances past unselected events', async () => {
    const bus = new EventBus(() => {});
    const reader: BacklogReader = { lastSeq: async () => 0, readAfter: async () => [] };
    const sink = new Sink();
    const sub = new ClientSubscription({
      uuid: crypto.randomUUID(),
      accountId: ACCOUNT,
      patterns: ['sms.*'],
      sink,
    });
    await sub.start({ bus, reader, maxReplay: 1000, ready: () => {} });
    bus.deliver(ACCOUNT, [
      ev(1, 'call.ringing'),
      ev(2, 'sms.sent'),
      ev(2, 'sms.sent'),
      ev(3, 'sms.delivered'),
    ]);
    expect(sink.seqs).toEqual([2, 3]);
    sub.close();
    bus.deliver(ACCOUNT, [ev(4, 'sms.sent')]);
    expect(sink.seqs).toEqual([2, 3]);
    expect(bus.listenerCount()).toBe(0);
  });
});
