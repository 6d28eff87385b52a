import { isCallwireError } from '@callwire/auth-core';

/**
 * What a person should read when something failed. The server's messages are written for people
 * already; a few codes get wording that says what to do next.
 */
export function describeError(error: unknown): string {
  if (!isCallwireError(error)) return 'Something went wrong. Check that the server is running and try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'Wrong e-mail or password.';
    case 'api_access_disabled':
      return 'API access is turned off for this user, so the console cannot sign in. An admin of the account can turn it on.';
    case 'rate_limited':
      return error.retryAfter === undefined
        ? 'Too many attempts. Wait a moment and try again.'
        : `Too many attempts. Try again in ${error.retryAfter} s.`;
    case 'insufficient_balance':
      return 'The balance does not cover this. Add funds and try again.';
    case 'forbidden':
    case 'account_forbidden':
      return 'Your access to this account does not allow that.';
    case 'network_error':
      return 'The server cannot be reached. Check that it is running.';
    default:
      return error.message;
  }
}

/**
 * Field errors by input name (`body.to` → `to`, `body.types.0` → `types`), so a form can show each
 * next to its field. Errors that name no field of the form stay in the form-level message.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isCallwireError(error) || error.fields === undefined) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(error.fields)) {
    // One input can hold a list (`types`); an error about one of its items belongs to that input.
    const name = key.replace(/^(body|query|params)\./, '').replace(/\.\d+$/, '');
    out[name] ??= value.message;
  }
  return out;
}
