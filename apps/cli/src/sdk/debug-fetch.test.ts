import { describe, expect, it } from 'vitest';
import { colors } from '../output/color.js';
import { debugFetch } from './debug-fetch.js';

describe('debugFetch (--debug)', () => {
  it('logs a Request (as ky sends it) without consuming its body, credentials redacted', async () => {
    let log = '';
    let seenBody = '';
    const base = (async (input: RequestInfo | URL) => {
      seenBody = await (input as Request).text();
      return new Response('{"success":true,"payload":{"token":"tok-secret-123"}}', {
        status: 200,
        headers: { 'set-cookie': 'sid=abc', 'x-request-id': 'req-1' },
      });
    }) as typeof fetch;
    const fetchWithLog = debugFetch(
      base,
      { write: (s: string) => (log += s) },
      new Set(['pw-secret-1']),
      colors(false),
    );
    const request = new Request('http://127.0.0.1:8787/rest/auth/login', {
      method: 'POST',
      headers: { authorization: 'Bearer abc.def', 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bob@example.com', password: 'pw-secret-1' }),
    });
    const response = await fetchWithLog(request);
    expect(seenBody).toContain('pw-secret-1');
    expect(await response.json()).toEqual({ success: true, payload: { token: 'tok-secret-123' } });
    expect(log).toContain('POST http://127.0.0.1:8787/rest/auth/login');
    expect(log).toContain('authorization: Bearer [REDACTED]');
    expect(log).toContain('set-cookie: [REDACTED]');
    expect(log).toContain('x-request-id: req-1');
    expect(log).not.toContain('pw-secret-1');
    expect(log).not.toContain('tok-secret-123');
    expect(log).not.toContain('abc.def');
  });
});
