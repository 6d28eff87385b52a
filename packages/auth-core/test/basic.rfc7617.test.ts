import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBasic, parseBasic } from '../src/basic.js';
import { encodeIntegrator, parseIntegrator } from '../src/integrator.js';

const b64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe('parseBasic agrees with RFC 7617', () => {
  const cases: [string, string | undefined, ReturnType<typeof parseBasic>][] = [
    [
      'the RFC example',
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
      { ok: true, username: 'Aladdin', password: 'open sesame' },
    ],
    [
      'colons in the password',
      `Basic ${b64('user:pa:ss:')}`,
      { ok: true, username: 'user', password: 'pa:ss:' },
    ],
    [
      'UTF-8 bytes of "test:123£"',
      'Basic dGVzdDoxMjPCow==',
      { ok: true, username: 'test', password: '123£' },
    ],
    [
      'UTF-8 in both parts',
      `Basic ${b64('zoë@example.com:пароль🔑')}`,
      { ok: true, username: 'zoë@example.com', password: 'пароль🔑' },
    ],
    ['an empty user-id', `Basic ${b64(':secret')}`, { ok: true, username: '', password: 'secret' }],
    ['an empty password', `Basic ${b64('user:')}`, { ok: true, username: 'user', password: '' }],
    ['lower-case scheme', `basic ${b64('a:b')}`, { ok: true, username: 'a', password: 'b' }],
    ['upper-case scheme', `BASIC ${b64('a:b')}`, { ok: true, username: 'a', password: 'b' }],
    ['surrounding whitespace', ` \tBasic ${b64('a:b')} \t`, { ok: true, username: 'a', password: 'b' }],
    ['several spaces after the scheme', `Basic   ${b64('a:b')}`, { ok: true, username: 'a', password: 'b' }],
    ['no colon', `Basic ${b64('useronly')}`, { ok: false, reason: 'missing_colon' }],
    [
      'a control character in the password',
      `Basic ${b64('user:pa\u0000ss')}`,
      { ok: false, reason: 'control_character' },
    ],
    ['a newline in the user-id', `Basic ${b64('us\ner:pass')}`, { ok: false, reason: 'control_character' }],
    ['DEL', `Basic ${b64('user:pa\u007fss')}`, { ok: false, reason: 'control_character' }],
    ['a C1 control', `Basic ${b64('user:pa\u0085ss')}`, { ok: false, reason: 'control_character' }],
    ['invalid base64 characters', 'Basic dXNlcjpw*XNz', { ok: false, reason: 'bad_base64' }],
    ['missing padding', 'Basic dXNlcjpwYXNzMQ', { ok: false, reason: 'bad_base64' }],
    ['non-canonical trailing bits', 'Basic YR==', { ok: false, reason: 'bad_base64' }],
    ['padding in the middle', 'Basic YQ==YWFh', { ok: false, reason: 'bad_base64' }],
    ['invalid UTF-8', `Basic ${btoa('user:\xff\xfe')}`, { ok: false, reason: 'bad_utf8' }],
    ['an overlong UTF-8 encoding', `Basic ${btoa('user:\xc0\xaf')}`, { ok: false, reason: 'bad_utf8' }],
    ['a Bearer token', 'Bearer abc.def', { ok: false, reason: 'wrong_scheme' }],
    ['a scheme that only starts with Basic', `Basicx ${b64('a:b')}`, { ok: false, reason: 'wrong_scheme' }],
    ['the scheme without credentials', 'Basic', { ok: false, reason: 'malformed' }],
    ['auth-params after the token68', `Basic ${b64('a:b')} realm="x"`, { ok: false, reason: 'malformed' }],
    ['an empty header', '', { ok: false, reason: 'missing' }],
    ['whitespace only', '   ', { ok: false, reason: 'missing' }],
    ['no header', undefined, { ok: false, reason: 'missing' }],
    ['an oversized header', `Basic ${'A'.repeat(9000)}`, { ok: false, reason: 'too_long' }],
  ];

  it.each(cases)('%s', (_name, header, expected) => {
    expect(parseBasic(header)).toEqual(expected);
  });

  it('decodes the RFC 7617 §2.1 UTF-8 example "test:123 £"', () => {
    expect(parseBasic(`Basic ${b64('test:123 £')}`)).toEqual({
      ok: true,
      username: 'test',
      password: '123 £',
    });
  });
});

describe('encodeBasic', () => {
  it('encodes the RFC example', () => {
    expect(encodeBasic('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('encodes as UTF-8', () => {
    expect(encodeBasic('test', '123 £')).toBe(`Basic ${b64('test:123 £')}`);
  });

  it('refuses a colon in the user-id and says why without echoing the value', () => {
    expect(() => encodeBasic('a:b', 'hunter2')).toThrow(/must not contain a colon/);
    try {
      encodeBasic('a:b', 'hunter2');
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });

  it('refuses control characters in either part', () => {
    expect(() => encodeBasic('a\n', 'b')).toThrow(/control characters/);
    expect(() => encodeBasic('a', 'b\u0000')).toThrow(/control characters/);
  });

  it('refuses lone surrogates, which have no UTF-8 encoding', () => {
    expect(() => encodeBasic('a', '\ud800')).toThrow(/well-formed/);
  });

  const credentialText = fc
    .string({ unit: 'binary', maxLength: 64 })
    .filter(
      (s) =>
        ![...s].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f)),
    );

  it('round-trips every valid user-id and password through parseBasic', () => {
    fc.assert(
      fc.property(
        credentialText.filter((s) => !s.includes(':')),
        credentialText,
        (username, password) => {
          expect(parseBasic(encodeBasic(username, password))).toEqual({ ok: true, username, password });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees with btoa over UTF-8 bytes', () => {
    fc.assert(
      fc.property(
        credentialText.filter((s) => !s.includes(':')),
        credentialText,
        (username, password) => {
          expect(encodeBasic(username, password)).toBe(`Basic ${b64(`${username}:${password}`)}`);
        },
      ),
    );
  });

  it('never throws on arbitrary header values', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (value) => {
        const parsed = parseBasic(value);
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Integrator credentials', () => {
  it('round-trip through the same codec', () => {
    const header = encodeIntegrator('demo-integrator', 'demo:secret');
    expect(header.startsWith('Integrator ')).toBe(true);
    expect(parseIntegrator(header)).toEqual({ ok: true, appKey: 'demo-integrator', secret: 'demo:secret' });
  });

  it('refuse a Basic header', () => {
    expect(parseIntegrator(encodeBasic('a', 'b'))).toEqual({ ok: false, reason: 'wrong_scheme' });
  });
});
