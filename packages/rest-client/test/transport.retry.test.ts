import { afterEach, describe, expect, it } from 'vitest';
import { createClient, NetworkError, RateLimitError, TimeoutError } from '../src/index.js';
import { fakeAuth } from './fake-auth.js';
import { fail, ok, type Stub, startStub } from './stub-server.js';

const ACCOUNT = { uuid: '6f1c1f2e-8a5b-4c1d-9e2f-0a1b2c3d4e5f', name: 'Acme' };
let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

function client(url: string, extra: Record<string, unknown> = {}) {
  return createClient({
    baseUrl: url,
    auth: fakeAuth().strategy,
    retry: { limit: 2, baseDelay: 1, maxDelay: 5 },
    ...extra,
  });
}

describe('retries', () => {
  it('retries a 503 and a 500, then returns the payload', async () => {
    stub = await startStub((_req, res, i) =>
      i < 2 ? fail(res, i === 0 ? 503 : 500, 'internal') : ok(res, ACCOUNT),
    );
    const account = await client(stub.url).accounts.current();
    expect(account).toEqual(ACCOUNT);
    expect(stub.requests).toHaveLength(3);
  });

  it('gives up after the retry limit with the last error, typed', async () => {
    stub = await startStub((_req, res) => fail(res, 429, 'rate_limited', {}, { 'retry-after': '0' }));
    const error = await client(stub.url, { retry: { limit: 1, baseDelay: 1 } })
      .accounts.current()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(0);
    expect(stub.requests).toHaveLength(2);
  });

  it('honours Retry-After on a 429 instead of its own short backoff', async () => {
    stub = await startStub((_req, res, i) =>
      i === 0 ? fail(res, 429, 'rate_limited', {}, { 'retry-after': '1' }) : ok(res, ACCOUNT),
    );
    await client(stub.url).accounts.current();
    const [first, second] = stub.requests;
    // The client's own backoff here is at most 5 ms; only Retry-After explains a ~1 s wait.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a 4xx other than 408/429', async () => {
    stub = await startStub((_req, res) =>
      fail(res, 400, 'validation_failed', { fields: { 'body.to': { message: 'bad' } } }),
    );
    await expect(
      client(stub.url).sms.send({ to: '+12015550123', message: 'x', from: '+12015550100' }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      code: 'validation_failed',
      requestId: 'req-err',
      fields: { 'body.to': { message: 'bad' } },
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('retry: 0 turns retries off', async () => {
    stub = await startStub((_req, res) => fail(res, 503, 'unavailable'));
    await expect(client(stub.url, { retry: 0 }).accounts.current()).rejects.toMatchObject({ status: 503 });
    expect(stub.requests).toHaveLength(1);
  });
});

describe('idempotency keys', () => {
  it('sends one key per POST and reuses it when the connection dropped', async () => {
    stub = await startStub((_req, res, i) => {
      if (i === 0) {
        res.socket?.destroy();
        return;
      }
      ok(res, { uuid: ACCOUNT.uuid });
    });
    const c = client(stub.url);
    await c.sms.send({ from: '+12015550100', to: '+12015550123', message: 'hi' });
    await c.sms.send({ from: '+12015550100', to: '+12015550123', message: 'hi' });
    const keys = stub.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(stub.requests[1]!.body).toBe(stub.requests[0]!.body);
  });

  it('uses the caller’s key when given, and none on GET', async () => {
    stub = await startStub((_req, res) => ok(res, {}));
    const c = client(stub.url);
    await c.sms.send(
      { from: '+12015550100', to: '+12015550123', message: 'hi' },
      { idempotencyKey: 'my-key' },
    );
    await c.accounts.current();
    expect(stub.requests[0]!.headers['idempotency-key']).toBe('my-key');
    expect(stub.requests[1]!.headers['idempotency-key']).toBeUndefined();
  });

  it('surfaces a dropped connection as NetworkError once retries are spent', async () => {
    stub = await startStub((_req, res) => {
      res.socket?.destroy();
    });
    await expect(client(stub.url, { retry: 1 }).accounts.current()).rejects.toBeInstanceOf(NetworkError);
    expect(stub.requests).toHaveLength(2);
  });
});

describe('timeouts and signals', () => {
  it('retries an attempt that ran past the per-attempt timeout', async () => {
    stub = await startStub((_req, res, i) => {
      if (i === 0) setTimeout(() => ok(res, ACCOUNT), 400);
      else ok(res, ACCOUNT);
    });
    await expect(client(stub.url, { timeout: 100 }).accounts.current()).resolves.toEqual(ACCOUNT);
    expect(stub.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('throws TimeoutError when the total timeout runs out', async () => {
    stub = await startStub((_req, res) => {
      setTimeout(() => ok(res, ACCOUNT), 1_000);
    });
    const error = await client(stub.url, { timeout: 100, totalTimeout: 250, retry: 5 })
      .accounts.current()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).code).toBe('timeout');
  });

  it('a body that never finishes is bounded by the timeout too', async () => {
    stub = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"success":true,"payload":');
    });
    const error = await client(stub.url, { timeout: 200, totalTimeout: 400, retry: 0 })
      .accounts.current()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('aborts with the caller’s signal and does not retry', async () => {
    stub = await startStub((_req, res) => {
      setTimeout(() => ok(res, ACCOUNT), 1_000);
    });
    const controller = new AbortController();
    const pending = client(stub.url).accounts.current({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(stub.requests).toHaveLength(1);
  });
});
