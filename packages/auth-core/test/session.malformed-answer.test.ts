import { describe, expect, it } from 'vitest';
import { CallwireError } from '../src/errors/index.js';
import { sessionFromPayload } from '../src/session/record.js';

const ACCOUNT = '0b6f5a1e-3c2d-4e8f-9a7b-1c2d3e4f5a6b';
const valid = {
  token: 'tok-secret-1',
  token_lifetime: 3600,
  token_expiration: '2026-01-01T01:00:00.000Z',
  refresh_token: 'ref-secret-1',
  refresh_token_expiration: '2026-01-31T00:00:00.000Z',
  account: { uuid: ACCOUNT, name: 'Acme Dental' },
  user: { uuid: '7d8e9f0a-1b2c-4d3e-8f5a-6b7c8d9e0f1a' },
  some_field_added_later: { nested: true },
};

function refusal(payload: unknown): CallwireError {
  try {
    sessionFromPayload(payload, 1_000, 1);
  } catch (error) {
    return error as CallwireError;
  }
  throw new Error('the answer was accepted');
}

describe('a login or refresh answer', () => {
  it('becomes a session record, whatever extra fields it carries', () => {
    const record = sessionFromPayload(valid, 1_000, 1);
    expect(record).toMatchObject({
      token: 'tok-secret-1',
      refreshToken: 'ref-secret-1',
      expiresAt: 1_000 + 3_600_000,
      refreshExpiresAt: 1_000 + 3_600_000 + (30 * 24 - 1) * 3_600_000,
      accountId: ACCOUNT,
    });
  });

  it('is refused as invalid_response naming every bad field, and quoting no token', () => {
    const error = refusal({
      ...valid,
      refresh_token: undefined,
      token_lifetime: 0,
      account: { uuid: 'acme' },
    });
    expect(error).toBeInstanceOf(CallwireError);
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('token_lifetime');
    expect(error.message).toContain('refresh_token');
    expect(error.message).toContain('account.uuid');
    expect(error.message).not.toContain('tok-secret-1');
  });

  it('is refused when it is not an object, or its dates are not dates', () => {
    expect(refusal(null).message).toContain('(root)');
    expect(refusal([valid]).message).toContain('(root)');
    expect(refusal({ ...valid, token_expiration: 'tomorrow' }).message).toContain('token_expiration');
    expect(refusal({ ...valid, user: { uuid: 7 } }).message).toContain('user.uuid');
  });
});
