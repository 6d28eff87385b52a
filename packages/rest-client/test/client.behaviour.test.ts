import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  InsufficientBalanceError,
  isCallwireError,
  NotFoundError,
  ResponseValidationError,
} from '../src/index.js';
import { validateResponses } from '../src/validation.js';
import { fakeAuth } from './fake-auth.js';
import { fail, ok, type Stub, startStub } from './stub-server.js';

const ACCOUNT = {
  uuid: '6f1c1f2e-8a5b-4c1d-9e2f-0a1b2c3d4e5f',
  name: 'Acme Dental',
  email: 'office@acme.example',
  level: 'Level1',
  balance: 99.87895,
  time_zone: 'America/New_York',
  created_on: '2026-01-16T14:15:48.540Z',
  modified_on: '2026-01-16T14:15:48.540Z',
};
let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const client = (url: string, extra: Record<string, unknown> = {}) =>
  createClient({ baseUrl: url, auth: fakeAuth('new-token').strategy, ...extra });

describe('responses', () => {
  it('unwraps the envelope and validates (strict)', async () => {
    stub = await startStub((_req, res) => ok(res, ACCOUNT, { 'x-account-id': ACCOUNT.uuid }));
    const c = client(stub.url, { validate: validateResponses('strict') });
    await expect(c.accounts.current()).resolves.toEqual(ACCOUNT);
    const { data, accountId, requestId, response } = await c.accounts.current().withResponse();
    expect(data.name).toBe('Acme Dental');
    expect(accountId).toBe(ACCOUNT.uuid);
    expect(requestId).toBe('req-1');
    expect(response.status).toBe(200);
    expect((await c.accounts.current().asResponse()).headers.get('x-account-id')).toBe(ACCOUNT.uuid);
  });

  it('strict throws ResponseValidationError naming the endpoint and field', async () => {
    stub = await startStub((_req, res) => ok(res, { ...ACCOUNT, balance: 'lots' }));
    const error = await client(stub.url, { validate: validateResponses('strict') })
      .accounts.current()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(isCallwireError(error)).toBe(true);
    expect((error as ResponseValidationError).message).toContain('accounts.current');
    expect((error as ResponseValidationError).message).toContain('balance');
    expect((error as ResponseValidationError).requestId).toBe('req-1');
  });

  it('warn logs once per endpoint and returns the body as sent; without validate nothing is checked', async () => {
    stub = await startStub((_req, res) => ok(res, { ...ACCOUNT, balance: 'lots' }));
    const warn = vi.fn();
    const c = client(stub.url, { validate: validateResponses('warn'), logger: { warn } });
    await expect(c.accounts.current()).resolves.toMatchObject({ balance: 'lots' });
    await c.accounts.current();
    expect(warn).toHaveBeenCalledTimes(1);
    const off = client(stub.url, { logger: { warn } });
    await expect(off.accounts.current()).resolves.toMatchObject({ balance: 'lots' });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('maps error envelopes onto the typed family', async () => {
    stub = await startStub((req, res) =>
      req.path.startsWith('/rest/order')
        ? fail(res, 402, 'insufficient_balance')
        : fail(res, 404, 'not_found', {}, { 'x-request-id': 'abc' }),
    );
    const c = client(stub.url);
    const missing = await c.sms.get('nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).requestId).toBe('req-err');
    await expect(c.numbers.order({ items: [{ tn: '+12015550123' }] })).rejects.toBeInstanceOf(
      InsufficientBalanceError,
    );
  });

  it('encodes ids into the path and refuses empty ones', async () => {
    stub = await startStub((_req, res) => ok(res, {}));
    const c = client(stub.url, {});
    await c.numbers.get('+12015550123');
    expect(stub.requests[0]!.path).toBe('/rest/lease/tn/%2B12015550123');
    expect(() => c.numbers.get('')).toThrow(TypeError);
  });
});

describe('pagination', () => {
  const items = Array.from({ length: 250 }, (_, i) => ({ n: i }));
  function listServer() {
    return startStub((req, res) => {
      const url = new URL(req.path, 'http://x');
      const take = Number(url.searchParams.get('take'));
      const skip = Number(url.searchParams.get('skip'));
      ok(res, { take, skip, total: items.length, data: items.slice(skip, skip + take) });
    });
  }

  it('iterates every item across pages of pageSize', async () => {
    stub = await listServer();
    const c = client(stub.url, {});
    const seen: unknown[] = [];
    for await (const item of c.sms.search({ direction: 'out' })) seen.push(item);
    expect(seen).toEqual(items);
    expect(stub.requests.map((r) => r.path)).toEqual([
      '/rest/sms/search?take=100&skip=0',
      '/rest/sms/search?take=100&skip=100',
      '/rest/sms/search?take=100&skip=200',
    ]);
    expect(JSON.parse(stub.requests[0]!.body)).toEqual({ direction: 'out' });
  });

  it('reads one page, walks pages, and collects with a limit', async () => {
    stub = await listServer();
    const c = client(stub.url, {});
    const page = await c.calls.search({}, { pageSize: 10 }).page({ skip: 20 });
    expect(page).toMatchObject({ take: 10, skip: 20, total: 250, hasMore: true });
    expect(page.data[0]).toEqual({ n: 20 });
    let pages = 0;
    for await (const p of c.numbers.list({}, { pageSize: 100 }).pages()) pages += p.data.length > 0 ? 1 : 0;
    expect(pages).toBe(3);
    expect(await c.numbers.list().toArray({ limit: 5 })).toHaveLength(5);
  });

  it('maps take/skip onto the inventory’s page/size', async () => {
    stub = await startStub((_req, res) =>
      ok(res, { total: 25, data: Array.from({ length: 5 }, () => ({ tn: '+12015550100' })) }),
    );
    const c = client(stub.url, {});
    const page = await c.numbers.search({ npa: '201' }).page({ take: 10, skip: 20 });
    expect(stub.requests[0]!.path).toBe('/rest/tn/search?page=3&size=10');
    expect(JSON.parse(stub.requests[0]!.body)).toEqual({ country: 'US', npa: '201' });
    expect(page).toMatchObject({ skip: 20, total: 25, hasMore: false });
  });
});

describe('hooks, fetch and batches', () => {
  it('sends through the given fetch', async () => {
    stub = await startStub((_req, res) => ok(res, {}));
    const seen: string[] = [];
    const c = client(stub.url, {
      fetch: (input: Request | URL | string, init?: RequestInit) => {
        seen.push(
          input instanceof Request ? `${input.method} ${new URL(input.url).pathname}` : String(input),
        );
        return fetch(input, init);
      },
    });
    await c.accounts.current();
    expect(seen).toEqual(['GET /rest/account']);
  });

  it('runs the caller’s hooks after its own (auth already set)', async () => {
    stub = await startStub((_req, res) => ok(res, {}));
    const seen: (string | null)[] = [];
    const c = client(stub.url, {
      hooks: {
        beforeRequest: [
          ({ request }: { request: Request }) => void seen.push(request.headers.get('authorization')),
        ],
      },
    });
    await c.accounts.current();
    expect(seen).toEqual(['Bearer new-token']);
  });

  it('batches.wait polls with progress until the batch is done, and stops on abort', async () => {
    const batch = { uuid: '6f1c1f2e-8a5b-4c1d-9e2f-0a1b2c3d4e5f', total: 3, failed: 0 };
    stub = await startStub((_req, res, i) =>
      ok(res, { ...batch, state: i < 2 ? 'processing' : 'completed', completed: Math.min(i + 1, 3) }),
    );
    const c = client(stub.url, {});
    const progress: number[] = [];
    const done = await c.batches.wait(batch.uuid, {
      interval: 5,
      onProgress: (b) => progress.push(b.completed),
    });
    expect(done.state).toBe('completed');
    expect(progress).toEqual([1, 2, 3]);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(c.batches.wait(batch.uuid, { signal: controller.signal })).rejects.toThrow();
  });
});
