import { describe, expect, it } from 'vitest';
import { Alarm } from '../../src/timers.js';
import { renewalTime, TokenRenewal, withSkewAllowance } from '../../src/token-renewal.js';
import { FakeAuth } from '../helpers/fake-auth.js';
import { FakeTimers } from '../helpers/fake-timers.js';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(options: { localExpiresIn?: number } = {}) {
  const timers = new FakeTimers();
  const auth = new FakeAuth();
  if (options.localExpiresIn !== undefined) {
    const expiresIn = options.localExpiresIn;
    // The session strategy's view: each token lives `expiresIn` from when it was handed out.
    const issued = new Map<string, number>();
    Object.assign(auth, {
      session: () => {
        const token = auth.token_;
        if (!issued.has(token)) issued.set(token, timers.now());
        return { token, expiresAt: issued.get(token)! + expiresIn };
      },
    });
  }
  const sent: Record<string, unknown>[] = [];
  const errors: unknown[] = [];
  let epoch = 1;
  const renewal = new TokenRenewal(auth, new Alarm(timers), {
    send: (frame) => {
      sent.push(frame);
      return true;
    },
    epoch: () => epoch,
    error: (error) => errors.push(error),
    log: () => {},
  });
  return {
    timers,
    auth,
    sent,
    errors,
    renewal,
    setEpoch: (value: number) => {
      epoch = value;
    },
  };
}

describe('token renewal', () => {
  it('renews when half the lifetime is left, at most 60 s before expiry', () => {
    expect(renewalTime(0, 60_000)).toBe(30_000);
    expect(renewalTime(0, 3_600_000)).toBe(3_540_000);
    expect(renewalTime(1_000, 500)).toBe(500);
  });

  it('plans with the server timestamp less a skew allowance that scales with the lifetime', () => {
    expect(withSkewAllowance(0, 60_000)).toBe(54_000);
    expect(withSkewAllowance(0, 3_600_000)).toBe(3_570_000);
  });

  it('a 60 s token is renewed on the socket every 30 s, by its own timer', async () => {
    const { timers, sent, renewal } = setup({ localExpiresIn: 60_000 });
    await renewal.socketToken(undefined);
    renewal.accepted(undefined);
    timers.advance(29_999);
    await flush();
    expect(sent).toEqual([]);
    timers.advance(1);
    await flush();
    expect(sent).toEqual([{ type: 'reauth', token: 't2' }]);
    renewal.result({ type: 'reauth', success: true });
    timers.advance(29_999);
    await flush();
    expect(sent).toHaveLength(1);
    timers.advance(1);
    await flush();
    expect(sent).toEqual([
      { type: 'reauth', token: 't2' },
      { type: 'reauth', token: 't3' },
    ]);
  });

  it('a token_expiring announcing the expiry it planned for leaves the plan alone (no renewal loop)', async () => {
    const { timers, sent, renewal } = setup();
    await renewal.socketToken(undefined);
    const expiresOn = timers.now() + 60_000;
    renewal.accepted(expiresOn);
    renewal.expiring({ type: 'token_expiring', expires_on: new Date(expiresOn).toISOString() });
    timers.advance(10_000);
    await flush();
    expect(sent).toEqual([]);
    timers.advance(17_000); // the plan: (60 s - 6 s skew) / 2
    await flush();
    expect(sent).toEqual([{ type: 'reauth', token: 't2' }]);
  });

  it('a token_expiring for an expiry sooner than planned renews, though not a token younger than 5 s', async () => {
    const { timers, sent, auth, renewal } = setup();
    await renewal.socketToken(undefined);
    renewal.accepted(timers.now() + 3_600_000);
    renewal.expiring({ type: 'token_expiring', expires_on: new Date(timers.now() + 60_000).toISOString() });
    await flush();
    expect(sent).toEqual([]);
    timers.advance(5_000);
    await flush();
    expect(sent).toEqual([{ type: 'reauth', token: 't2' }]);
    expect(auth.refreshCalls).toEqual(['t1']);
  });

  it('a reauth started on one socket is never sent on another', async () => {
    const { timers, sent, renewal, setEpoch } = setup({ localExpiresIn: 60_000 });
    await renewal.socketToken(undefined);
    renewal.accepted(undefined);
    timers.advance(30_000);
    setEpoch(2);
    await flush();
    expect(sent).toEqual([]);
  });

  it('a refused reauth is reported, and the socket keeps its token', async () => {
    const { errors, renewal } = setup();
    await renewal.socketToken(undefined);
    renewal.accepted(undefined);
    await renewal.reauth(true);
    renewal.result({ type: 'reauth', success: false, code: 'token_revoked', message: 'revoked' });
    expect(renewal.token).toBe('t1');
    expect(errors).toMatchObject([{ code: 'token_revoked' }]);
  });

  it('after a 4401 the next socket gets a refreshed token; a second 4401 in a row is final', async () => {
    const { auth, renewal } = setup();
    expect(await renewal.socketToken(undefined)).toBe('t1');
    expect(renewal.refused()).toBe(true);
    expect(await renewal.socketToken(undefined)).toBe('t2');
    expect(auth.refreshCalls).toEqual(['t1']);
    expect(renewal.refused()).toBe(false);
  });

  it('a strategy that cannot renew never gets the refused token reused', async () => {
    const { auth, renewal } = setup();
    await renewal.socketToken(undefined);
    renewal.refused();
    auth.renewable = false;
    await expect(renewal.socketToken({ code: 'token_expired', message: 'expired' })).rejects.toMatchObject({
      name: 'AuthenticationError',
      code: 'token_expired',
    });
  });

  it('socketGone() and dispose() leave no timer and no auth listener', async () => {
    const { timers, auth, renewal } = setup({ localExpiresIn: 60_000 });
    await renewal.socketToken(undefined);
    renewal.accepted(undefined);
    expect(timers.active).toBe(1);
    renewal.socketGone();
    expect(timers.active).toBe(0);
    renewal.dispose();
    expect(auth.listeners.size).toBe(0);
  });
});
