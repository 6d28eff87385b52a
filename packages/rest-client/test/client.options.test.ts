import { describe, expect, it } from 'vitest';
import { ApiPromise, createClient } from '../src/index.js';
import { shapeOf } from '../src/validate.js';
import { fakeAuth } from './fake-auth.js';

const auth = fakeAuth().strategy;

describe('createClient refuses bad options at once', () => {
  it.each([
    [{ baseUrl: 'not a url', auth }, /baseUrl/],
    [{ baseUrl: 'ftp://x.example', auth }, /http/],
    [{ baseUrl: 'http://u:p@x.example', auth }, /credentials/],
    [{ baseUrl: 'http://x.example', auth: {} }, /auth must be a strategy/],
    [{ baseUrl: 'http://x.example', auth, validate: 'loud' }, /validate/],
    [{ baseUrl: 'http://x.example', auth, validate: 'strict' }, /validateResponses\('strict' \| 'warn'\)/],
    [{ baseUrl: 'http://x.example', auth, timeout: -1 }, /timeout/],
    [{ baseUrl: 'http://x.example', auth, retry: 1.5 }, /retry.limit/],
  ])('%o', (options, message) => {
    expect(() => createClient(options as never)).toThrow(message);
  });

  it('tolerates a trailing /rest and binds accountId through the strategy', () => {
    const client = createClient({ baseUrl: 'http://x.example/rest/', auth, accountId: 'acct-1' });
    expect(client.accountId).toBe('acct-1');
    expect(client.forAccount('acct-1')).toBe(client);
  });
});

describe('ApiPromise', () => {
  const response = new Response('{}', { headers: { 'x-request-id': 'r1', 'x-account-id': 'a1' } });
  it('behaves as a promise of the data (await, then, Promise.all, catch)', async () => {
    const p = new ApiPromise(Promise.resolve({ data: 42, response }));
    expect(await p).toBe(42);
    expect(await p.then((v) => v + 1)).toBe(43);
    expect(await Promise.all([p, new ApiPromise(Promise.resolve({ data: 'x', response }))])).toEqual([
      42,
      'x',
    ]);
    const failing = new ApiPromise<number>(Promise.reject(new Error('boom')));
    expect(await failing.catch((e: unknown) => (e as Error).message)).toBe('boom');
  });

  it('withResponse gives the ids from the headers', async () => {
    const { data, requestId, accountId } = await new ApiPromise(
      Promise.resolve({ data: 1, response }),
    ).withResponse();
    expect({ data, requestId, accountId }).toEqual({ data: 1, requestId: 'r1', accountId: 'a1' });
  });
});

describe('shapeOf', () => {
  const num = {
    safeParse: (v: unknown) =>
      typeof v === 'number'
        ? { success: true as const, data: v }
        : { success: false as const, error: { issues: [{ path: [], message: 'not a number' }] } },
  };
  it('validates each key and keeps the others', () => {
    expect(shapeOf({ a: num }).safeParse({ a: 1, b: 'kept' })).toEqual({
      success: true,
      data: { a: 1, b: 'kept' },
    });
    expect(shapeOf({ a: num }).safeParse({ a: 'x' })).toEqual({
      success: false,
      error: { issues: [{ path: ['a'], message: 'not a number' }] },
    });
    expect(shapeOf({ a: num }).safeParse(null).success).toBe(false);
  });
});
