import { describe, expect, it } from 'vitest';
import { PendingRequests } from '../../src/pending-requests.js';
import { Subscription } from '../../src/subscription.js';

function make(accountId?: string) {
  const commits: number[] = [];
  const sub = new Subscription({
    key: 'k',
    types: ['call.*'],
    accountId,
    committer: { commit: (_s, seq) => commits.push(seq) },
  });
  sub.loaded = true;
  return { sub, commits };
}

describe('subscription', () => {
  it('builds its subscribe frame, resuming after what it received', () => {
    const { sub } = make('acct');
    expect(sub.subscribeFrame('s1', false)).toEqual({
      type: 'subscribe',
      id: 's1',
      types: ['call.*'],
      account_id: 'acct',
    });
    expect(sub.wantsSubscribe).toBe(false);
    sub.detach();
    sub.received = 41;
    expect(sub.subscribeFrame('s2', false)).toMatchObject({ after_seq: 41 });
    sub.detach();
    expect(sub.subscribeFrame('s3', true)).not.toHaveProperty('after_seq');
  });

  it('live: remembers the seq it started at, so a drop before its first event resumes from there', () => {
    const { sub, commits } = make();
    sub.subscribeFrame('s1', false);
    expect(sub.subscribed('srv', 'acct', 120, true)).toEqual({ outcome: 'live', afterSeq: 120 });
    expect(sub.received).toBe(120);
    expect(commits).toEqual([120]);
    expect(sub.serverAccount).toBe('acct');
  });

  it('decides replay, not_retained and history_reset from the answer to an after_seq', () => {
    const cases = [
      { recovered: true, lastSeq: 80, outcome: 'replay' },
      { recovered: false, lastSeq: 80, outcome: 'not_retained' },
      { recovered: false, lastSeq: 10, outcome: 'history_reset' },
    ] as const;
    for (const { recovered, lastSeq, outcome } of cases) {
      const { sub } = make();
      sub.received = 50;
      sub.subscribeFrame('s1', false);
      expect(sub.subscribed('srv', undefined, lastSeq, recovered)).toEqual({ outcome, afterSeq: 50 });
    }
  });

  it('a history reset restarts the cursor from the server newest seq', () => {
    const { sub, commits } = make();
    sub.received = 50;
    sub.commits.open(49);
    sub.subscribeFrame('s1', false);
    sub.subscribed('srv', undefined, 10, false);
    expect(sub.received).toBe(10);
    expect(sub.commits.size).toBe(0);
    expect(commits).toEqual([10]);
  });

  it('the seq gate admits each seq once and never one at or below what it received', () => {
    const { sub } = make();
    expect(sub.admit(5)).toBe(true);
    expect(sub.admit(5)).toBe(false);
    expect(sub.admit(3)).toBe(false);
    expect(sub.admit(6)).toBe(true);
    expect(sub.received).toBe(6);
  });

  it('end() rejects ready with the reason and stops committing', async () => {
    const { sub } = make();
    sub.commits.open(1);
    sub.end(new Error('unsubscribed'));
    expect(sub.active).toBe(false);
    expect(sub.commits.size).toBe(0);
    await expect(sub.ready).rejects.toThrow('unsubscribed');
  });
});

describe('pending requests', () => {
  it('hands each answer to the request with its id, once', () => {
    const requests = new PendingRequests<string>('s');
    const a = requests.open('a');
    const b = requests.open('b');
    expect([a, b]).toEqual(['s1', 's2']);
    expect(requests.take(b)).toBe('b');
    expect(requests.take(b)).toBeUndefined();
    requests.clear();
    expect(requests.take(a)).toBeUndefined();
    expect(requests.nextId()).toBe('s3');
  });
});
