import { describe, expect, it } from 'vitest';
import { createCounters } from '../../src/counters.js';
import { MemoryCursorStore } from '../../src/cursor-store.js';
import { seenBefore } from '../../src/dedupe.js';
import { type RawEvent, Subscription } from '../../src/subscription.js';
import { Subscriptions, type SubscriptionsHost } from '../../src/subscriptions.js';

function setup() {
  const sent: Record<string, unknown>[] = [];
  const accepted: [string, number][] = [];
  const host: SubscriptionsHost = {
    send: (frame) => {
      sent.push(frame);
      return true;
    },
    authenticated: () => true,
    accept: (sub: Subscription, raw: RawEvent) => {
      accepted.push([sub.key, raw.seq]);
      return sub.admit(raw.seq);
    },
    gap: () => {},
    error: () => {},
    catchUp: {
      fetchPage: async () => {
        throw new Error('no catch-up in these tests');
      },
      room: async () => {},
      failed: () => {},
    },
  };
  const subs = new Subscriptions(
    { store: new MemoryCursorStore(), counters: createCounters(), log: () => {} },
    host,
  );
  const committed: [string, number][] = [];
  /** Subscribes `key` to every event of `account`, answered by the server as `serverId`. */
  const add = (key: string, serverId: string, account = 'acct') => {
    const sub = new Subscription({
      key,
      types: ['*'],
      accountId: account,
      committer: { commit: (s, seq) => committed.push([s.key, seq]) },
    });
    const handle = subs.add(sub, 0);
    const request = sent.at(-1)!;
    subs.subscribed({
      type: 'subscribed',
      id: request.id,
      subscription: serverId,
      account_id: account,
      last_seq: 0,
      recovered: true,
    });
    return { sub, handle };
  };
  const event = (serverId: string, seq: number) =>
    subs.event({ type: 'event', subscription: serverId, event: { seq, type: 'call.ringing' } });
  return { subs, sent, accepted, committed, add, event };
}

describe('subscriptions', () => {
  it('a handle shows the account the server resolved and the cursor as it moves', async () => {
    const { add } = setup();
    const { sub, handle } = add('k', 'srv-1');
    expect(handle.key).toBe('k');
    expect(handle.types).toEqual(['*']);
    expect(handle.accountId).toBe('acct');
    expect(handle.cursor).toBe(0);
    sub.committed = 7;
    expect(handle.cursor).toBe(7);
    await expect(handle.ready).resolves.toMatchObject({ subscription: 'srv-1', lastSeq: 0 });
  });

  it('unsubscribe works taken off its handle, and later events of that subscription are ignored', async () => {
    const { add, event, sent, accepted } = setup();
    const { handle } = add('k', 'srv-1');
    event('srv-1', 1);
    const { unsubscribe } = handle;
    await unsubscribe();
    expect(sent.at(-1)).toMatchObject({ type: 'unsubscribe', subscription: 'srv-1' });
    event('srv-1', 2);
    expect(accepted).toEqual([['k', 1]]);
  });

  it('routes each event to its own subscription when events of two alternate', () => {
    const { add, event, accepted } = setup();
    add('a', 'srv-a', 'acct-1');
    add('b', 'srv-b', 'acct-2');
    event('srv-a', 1);
    event('srv-b', 1);
    event('srv-b', 2);
    event('srv-a', 2);
    event('srv-unknown', 3);
    expect(accepted).toEqual([
      ['a', 1],
      ['b', 1],
      ['b', 2],
      ['a', 2],
    ]);
  });

  it('two subscriptions of one account share a dedupe window; one alone keeps none', async () => {
    const { add } = setup();
    const first = add('a', 'srv-a');
    expect(first.sub.window).toBeUndefined();
    const second = add('b', 'srv-b');
    expect(second.sub.window).toBe(first.sub.window);
    expect(seenBefore(first.sub.window, 5)).toBe(false);
    expect(seenBefore(second.sub.window, 5)).toBe(true);
    await second.handle.unsubscribe();
    expect(seenBefore(first.sub.window, 6)).toBe(false);
    expect(seenBefore(first.sub.window, 6)).toBe(false);
  });

  it('subscriptions of different accounts never share a window', () => {
    const { add } = setup();
    const a = add('a', 'srv-a', 'acct-1');
    const b = add('b', 'srv-b', 'acct-2');
    expect(a.sub.window).toBeUndefined();
    expect(b.sub.window).toBeUndefined();
  });
});
