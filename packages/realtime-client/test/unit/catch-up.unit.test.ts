import type { EventPage } from '@callwire/types';
import { describe, expect, it } from 'vitest';
import { CatchUp, type CatchUpHost } from '../../src/catch-up.js';
import { createCounters } from '../../src/counters.js';
import { type RawEvent, Subscription } from '../../src/subscription.js';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function sub(types: string[], received: number) {
  const s = new Subscription({
    key: types.join(),
    types,
    accountId: 'acct',
    committer: { commit: () => {} },
  });
  s.received = received;
  s.serverAccount = 'acct';
  return s;
}

const ev = (seq: number, type: string): RawEvent => ({ seq, type });

function host(log: EventPage['data']) {
  const accepted: string[] = [];
  const requests: { types: readonly string[]; afterSeq: number }[] = [];
  const lost: unknown[] = [];
  const failures: unknown[] = [];
  const h: CatchUpHost = {
    fetchPage: async (_account, types, afterSeq) => {
      requests.push({ types, afterSeq });
      const data = log.filter((e) => e.seq > afterSeq).slice(0, 2);
      return {
        after_seq: afterSeq,
        take: 2,
        last_seq: log.at(-1)?.seq ?? 0,
        oldest_seq: log[0]?.seq ?? null,
        recovered: (log[0]?.seq ?? 1) <= afterSeq + 1,
        has_more: log.some((e) => e.seq > (data.at(-1)?.seq ?? Number.POSITIVE_INFINITY)),
        data,
      };
    },
    accept: (s, raw) => {
      if (!s.admit(raw.seq)) return false;
      accepted.push(`${raw.seq} ${s.types[0]}`);
      return true;
    },
    room: async () => {},
    lost: (s, afterSeq, lastSeq, missing) => lost.push({ types: s.types, afterSeq, lastSeq, missing }),
    failed: (error) => failures.push(error),
    counters: createCounters(),
  };
  return { h, accepted, requests, lost, failures };
}

/** Events as GET /rest/event would return them (only the fields the catch-up reads matter here). */
const page = (...events: RawEvent[]) => events as unknown as EventPage['data'];

describe('catch-up', () => {
  it('fills the gaps of several subscriptions in one seq-ordered stream, then releases held events in seq order', async () => {
    const sms = sub(['sms.*'], 3);
    const account = sub(['account.*'], 2);
    const { h, accepted, requests } = host(
      page(
        ev(3, 'sms.sent'),
        ev(4, 'account.balance.changed'),
        ev(5, 'sms.delivered'),
        ev(6, 'account.updated'),
        ev(7, 'account.updated'),
      ),
    );
    const catchUp = new CatchUp([sms, account], h);
    // Live events arrive (the newer one first) while answers are still coming; 7 is in both.
    catchUp.hold(sms, ev(8, 'sms.received'));
    catchUp.answered(sms, 6);
    catchUp.hold(account, ev(7, 'account.updated'));
    await flush();
    expect(requests).toEqual([]); // waits for every answer
    catchUp.answered(account, 7);
    await flush();
    await flush();
    expect(requests.map((r) => r.afterSeq)).toEqual([2, 4, 6]);
    expect(requests[0]!.types).toEqual(['sms.*', 'account.*']);
    expect(accepted).toEqual(['4 account.*', '5 sms.*', '6 account.*', '7 account.*', '8 sms.*']);
    expect(sms.catchUp).toBeUndefined();
    expect(account.catchUp).toBeUndefined();
  });

  it('reports the part REST no longer retains as lost, per subscription', async () => {
    const only = sub(['*'], 1);
    const { h, lost } = host(page(ev(5, 'call.hangup'), ev(6, 'call.hangup')));
    new CatchUp([only], h).answered(only, 6);
    await flush();
    await flush();
    expect(lost).toEqual([{ types: ['*'], afterSeq: 1, lastSeq: 6, missing: { from: 2, to: 4 } }]);
  });

  it('cancel() stops it and drops held events (the resubscribe brings them again)', async () => {
    const a = sub(['call.*'], 0);
    const b = sub(['sms.*'], 0);
    const { h, accepted, requests } = host(page(ev(1, 'call.hangup')));
    const catchUp = new CatchUp([a, b], h);
    catchUp.hold(a, ev(2, 'call.hangup'));
    catchUp.cancel();
    catchUp.answered(a, 1);
    catchUp.answered(b, 1);
    await flush();
    expect(requests).toEqual([]);
    expect(accepted).toEqual([]);
    expect(a.catchUp).toBeUndefined();
  });

  it('a subscription that ends before its answer does not hold up the others', async () => {
    const a = sub(['call.*'], 0);
    const b = sub(['sms.*'], 0);
    const { h, accepted } = host(page(ev(1, 'call.hangup')));
    const catchUp = new CatchUp([a, b], h);
    catchUp.answered(a, 1);
    b.end(new Error('unsubscribed'));
    await flush();
    await flush();
    expect(accepted).toEqual(['1 call.*']);
  });

  it('a failed fetch is reported once and the subscriptions are released', async () => {
    const a = sub(['call.*'], 0);
    const { h, failures } = host(page());
    h.fetchPage = async () => {
      throw new Error('503');
    };
    new CatchUp([a], h).answered(a, 3);
    await flush();
    expect(failures).toHaveLength(1);
    expect(a.catchUp).toBeUndefined();
  });
});
