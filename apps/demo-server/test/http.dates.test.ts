import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AUTH, call } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true });
});
afterAll(async () => {
  await server.close();
});

const OUT_OF_RANGE_DATES = ['9999-12-31', '0000-01-01', '1969-12-31'];
const IMPOSSIBLE_DATES = ['2026-02-30', '2025-02-29', '2026-13-01', '2026-04-31'];

describe('dates outside what the platform accepts are a 400 with field errors, never a 500', () => {
  it('the call-data report refuses out-of-range and impossible dates on either end', async () => {
    for (const date of [...OUT_OF_RANGE_DATES, ...IMPOSSIBLE_DATES]) {
      for (const field of ['start_date', 'end_date']) {
        const other = field === 'start_date' ? 'end_date=2026-01-02' : 'start_date=2026-01-01';
        const res = await call(server, 'GET', `/rest/reports/call-data?${field}=${date}&${other}`, {
          auth: AUTH.alice,
        });
        expect(res.status, `${field}=${date}`).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.fields[`query.${field}`]).toBeDefined();
        expect(res.body.request_id).toBe(res.headers['x-request-id']);
      }
    }
  });

  it('the report still answers for the last accepted day', async () => {
    const res = await call(
      server,
      'GET',
      '/rest/reports/call-data?start_date=9998-12-31&end_date=9998-12-31',
      {
        auth: AUTH.alice,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.payload).toEqual([]);
  });

  it('every search refuses created_on windows outside the accepted range', async () => {
    const searches = ['/rest/sms/search', '/rest/call/search', '/rest/order/search', '/rest/lease/tn/search'];
    for (const url of searches) {
      for (const value of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30T00:00:00Z']) {
        const res = await call(server, 'POST', url, { auth: AUTH.alice, body: { created_on_to: value } });
        expect(res.status, `${url} ${value}`).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(Object.keys(res.body.fields)).toEqual(['body.created_on_to']);
      }
    }
  });

  it('a subscription expiry outside the accepted range is refused with its field', async () => {
    const res = await call(server, 'POST', '/rest/event/subscription', {
      auth: AUTH.alice,
      body: { channel: 'wss', types: ['*'], expired_on: '9999-12-31T23:59:59.999Z' },
    });
    expect(res.status).toBe(400);
    expect(res.body.fields['body.expired_on'].message).toMatch(/between 1970-01-01 and 9998-12-31/);
  });
});
