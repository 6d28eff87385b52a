import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './telephony-harness.js';

describe('telephony routes in the OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('documents every telephony path with its success and error responses', async () => {
    const res = await h.server.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, unknown> }>>;
    };
    for (const [path, method, status] of [
      ['/rest/sms', 'post', '202'],
      ['/rest/call', 'post', '202'],
      ['/rest/tn/search', 'post', '200'],
      ['/rest/order', 'post', '202'],
      ['/rest/reports/call-data', 'get', '200'],
      ['/rest/sip/domain/{domain}/user/{uuid}', 'delete', '204'],
      ['/rest/simulate/call', 'post', '202'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op!.responses)).toEqual(
        expect.arrayContaining([status, '400', '401', '403', '404']),
      );
    }
    expect(doc.paths['/rest/sms']!.post!.responses['402']).toBeDefined();
  });
});
