import { describe, expect, it } from 'vitest';
import {
  AccountRequiredError,
  AuthenticationError,
  CallwireError,
  ConflictError,
  errorFromResponse,
  InsufficientBalanceError,
  isCallwireError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  redactHeaders,
  redactObject,
  redactSecrets,
  ValidationError,
} from '../src/errors/index.js';

const envelope = (status: number, code: string, extra: Record<string, unknown> = {}) => ({
  success: false,
  status,
  code,
  message: `message for ${code}`,
  request_id: 'req_123',
  ...extra,
});

describe('errorFromResponse', () => {
  it.each([
    [400, 'validation_failed', ValidationError],
    [400, 'invalid_request', ValidationError],
    [401, 'invalid_credentials', AuthenticationError],
    [401, 'refresh_token_reused', AuthenticationError],
    [402, 'insufficient_balance', InsufficientBalanceError],
    [403, 'account_forbidden', PermissionError],
    [403, 'api_access_disabled', PermissionError],
    [404, 'not_found', NotFoundError],
    [409, 'idempotency_conflict', ConflictError],
    [429, 'rate_limited', RateLimitError],
  ] as const)('maps %i %s to its class with code, status and request id', (status, code, Class) => {
    const error = errorFromResponse(status, envelope(status, code));
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(CallwireError);
    expect(error).toMatchObject({ status, code, requestId: 'req_123', message: `message for ${code}` });
  });

  it('maps account_required to AccountRequiredError listing the accounts', () => {
    const accounts = [
      { uuid: '11111111-1111-4111-8111-111111111111', name: 'Acme Dental' },
      { uuid: '22222222-2222-4222-8222-222222222222', name: 'Bayside Realty' },
    ];
    const error = errorFromResponse(400, envelope(400, 'account_required', { accounts }));
    expect(error).toBeInstanceOf(AccountRequiredError);
    expect((error as AccountRequiredError).accounts).toEqual(accounts);
    expect(error.toJSON()).toMatchObject({ code: 'account_required', accounts });
  });

  it('keeps field errors', () => {
    const fields = { 'body.to': { message: 'must be an E.164 phone number' } };
    expect(errorFromResponse(400, envelope(400, 'validation_failed', { fields })).fields).toEqual(fields);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(errorFromResponse(429, envelope(429, 'rate_limited'), { 'Retry-After': '7' }).retryAfter).toBe(7);
    const later = new Date(Date.now() + 30_000).toUTCString();
    const retryAfter = errorFromResponse(429, {}, new Headers({ 'retry-after': later })).retryAfter;
    expect(retryAfter).toBeGreaterThanOrEqual(29);
    expect(retryAfter).toBeLessThanOrEqual(31);
  });

  it('survives a body that is not the envelope, taking the request id from the header', () => {
    const error = errorFromResponse(502, '<html>Bad gateway</html>', { 'X-Request-Id': 'req_hdr' });
    expect(error).toBeInstanceOf(CallwireError);
    expect(error).toMatchObject({ status: 502, code: 'bad_gateway', requestId: 'req_hdr' });
  });

  it('keeps an unknown code from the server', () => {
    expect(errorFromResponse(418, envelope(418, 'teapot')).code).toBe('teapot');
  });
});

describe('isCallwireError', () => {
  it('recognises errors of the family and refuses look-alikes', () => {
    expect(isCallwireError(new NotFoundError({ message: 'x' }))).toBe(true);
    expect(isCallwireError(new Error('x'))).toBe(false);
    expect(isCallwireError({ code: 'not_found', status: 404 })).toBe(false);
    expect(isCallwireError(null)).toBe(false);
  });

  it('recognises an error from another copy of the package through the registered symbol', () => {
    // What a duplicated copy produces: a different class, the same Symbol.for brand.
    const foreign = Object.assign(new Error('from another copy'), { [Symbol.for('callwire.error')]: true });
    expect(isCallwireError(foreign)).toBe(true);
  });
});

describe('toJSON', () => {
  it('serialises the useful fields and the class name', () => {
    const error = new RateLimitError({ message: 'slow down', retryAfter: 3, requestId: 'r1' });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RateLimitError',
      code: 'rate_limited',
      status: 429,
      message: 'slow down',
      retryAfter: 3,
      requestId: 'r1',
    });
  });
});

describe('redaction', () => {
  it('masks credential headers and keeps the scheme', () => {
    const headers = new Headers({
      Authorization: 'Bearer abc.def.ghi',
      'X-Auth-Token': 'tok_123',
      'Content-Type': 'application/json',
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: 'Bearer [REDACTED]',
      'x-auth-token': '[REDACTED]',
      'content-type': 'application/json',
    });
  });

  it('masks credentials inside free text', () => {
    const text =
      'sent Authorization: Basic YWxpY2U6cGFzcw== and {"password":"hunter2","refresh_token":"rt_9"} ?token=abc&x=1 X-Auth-Token: t0k whsec_abcdef';
    const redacted = redactSecrets(text);
    for (const secret of ['YWxpY2U6cGFzcw==', 'hunter2', 'rt_9', 'abc&', 't0k', 'whsec_abcdef']) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain('x=1');
  });

  it('masks secrets in error messages built from server or caller text', () => {
    const error = new AuthenticationError({ message: 'rejected Bearer eyJhbGciOi.payload.sig' });
    expect(error.message).toBe('rejected Bearer [REDACTED]');
  });

  it('masks credential fields in log metadata by name', () => {
    expect(redactObject({ user: 'alice', password: 'p', nested: { token: 't', n: 1 } })).toEqual({
      user: 'alice',
      password: '[REDACTED]',
      nested: { token: '[REDACTED]', n: 1 },
    });
  });
});

describe('redaction keeps prose and challenges readable', () => {
  it.each([
    ['Bearer token expired', 'Bearer token expired'],
    [
      'WWW-Authenticate: Basic realm="callwire", charset="UTF-8"',
      'WWW-Authenticate: Basic realm="callwire", charset="UTF-8"',
    ],
    ['Bearer error="invalid_token"', 'Bearer error="invalid_token"'],
    ['Basic YTpi', 'Basic [REDACTED]'],
    ['Bearer tok_1_abc', 'Bearer [REDACTED]'],
    ['Token abcdefghijklmnopqrstuvwxyz', 'Token [REDACTED]'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });
});
