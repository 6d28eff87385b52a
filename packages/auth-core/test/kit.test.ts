import { describe, expect, it } from 'vitest';
import { createLog, envelopePayload, ListenerSet, parseBody, readEnvelope } from '../src/index.js';

describe('the shared client kit', () => {
  it('readEnvelope returns the payload of a success and throws the error family otherwise', async () => {
    const ok = new Response(JSON.stringify({ success: true, payload: { n: 1 } }), { status: 200 });
    expect(await readEnvelope(ok)).toEqual({ n: 1 });
    expect(await readEnvelope(new Response(null, { status: 204 }))).toBeUndefined();
    const refused = new Response(
      JSON.stringify({ success: false, code: 'not_found', message: 'No such number' }),
      {
        status: 404,
        headers: { 'x-request-id': 'r1' },
      },
    );
    await expect(readEnvelope(refused)).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
      requestId: 'r1',
    });
    await expect(
      readEnvelope(new Response('<html>bad gateway</html>', { status: 502 })),
    ).rejects.toMatchObject({
      status: 502,
    });
  });

  it('a bare body (a proxy, an older server) passes as it is; text that is not JSON stays text', () => {
    expect(envelopePayload({ data: [1] })).toEqual({ data: [1] });
    expect(envelopePayload({ success: true, payload: null })).toBeNull();
    expect(parseBody('')).toBeUndefined();
    expect(parseBody('oops')).toBe('oops');
  });

  it('ListenerSet: a throwing listener is reported and the others still run; removal is idempotent', () => {
    const set = new ListenerSet<number>();
    const got: number[] = [];
    const failures: unknown[] = [];
    set.add(() => {
      throw new Error('boom');
    });
    const off = set.add((n) => got.push(n));
    set.emit(1, (e) => failures.push(e));
    off();
    off();
    set.emit(2, (e) => failures.push(e));
    expect(got).toEqual([1]);
    expect(failures).toHaveLength(2);
    expect(() => set.add(1 as unknown as () => void)).toThrow(TypeError);
  });

  it('createLog writes only the levels a logger has, with secrets redacted', () => {
    const lines: unknown[][] = [];
    const log = createLog({ warn: (...args: unknown[]) => lines.push(args) });
    log('debug', 'skipped');
    log('warn', 'refresh failed', { authorization: 'Bearer cw_sess_secret', attempt: 2 });
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('cw_sess_secret');
    expect(lines[0]![1]).toMatchObject({ attempt: 2 });
  });
});
