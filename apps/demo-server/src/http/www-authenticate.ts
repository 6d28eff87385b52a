/**
 * Every 401 carries a challenge (RFC 9110 §11.6.1). Both schemes are offered: Basic with the only
 * charset RFC 7617 allows, and Bearer (RFC 6750), with `error="invalid_token"` when a token was
 * presented and refused.
 */
export const BASIC_CHALLENGE = 'Basic realm="callwire", charset="UTF-8"';
export const BEARER_CHALLENGE = 'Bearer realm="callwire"';

export function challenge(invalidToken = false): string {
  return invalidToken
    ? `${BASIC_CHALLENGE}, ${BEARER_CHALLENGE}, error="invalid_token"`
    : `${BASIC_CHALLENGE}, ${BEARER_CHALLENGE}`;
}
