import { ApiError } from '../../http/api-error.js';
import { challenge } from '../../http/www-authenticate.js';

/** The errors of the credential doors and of sessions, with the challenge header each carries. */

const INVALID_CREDENTIALS = 'The email or password is not correct';

export function invalidCredentials(): ApiError {
  return new ApiError('invalid_credentials', INVALID_CREDENTIALS, {
    headers: { 'www-authenticate': challenge(false) },
  });
}

export function invalidToken(
  code: 'invalid_token' | 'token_expired' | 'refresh_token_reused',
  message: string,
): ApiError {
  return new ApiError(code, message, { headers: { 'www-authenticate': challenge(true) } });
}

export function unauthenticated(): ApiError {
  return new ApiError(
    'unauthenticated',
    'Authentication required: send Authorization: Basic, Bearer or Integrator credentials, or X-Auth-Token',
    { headers: { 'www-authenticate': challenge(false) } },
  );
}

export function apiAccessDisabled(): ApiError {
  return new ApiError('api_access_disabled', 'This user is not allowed to use the API (API access is off)');
}

export function accountForbidden(): ApiError {
  return new ApiError('account_forbidden', 'You may not act on this account');
}
