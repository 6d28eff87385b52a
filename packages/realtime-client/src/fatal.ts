import { isCallwireError } from '@callwire/auth-core';

const FATAL_NAMES: ReadonlySet<string> = new Set([
  'AuthenticationError',
  'PermissionError',
  'AccountRequiredError',
  'ValidationError',
]);

/** Errors a retry cannot fix: refused credentials, a forbidden principal, a disposed strategy, a 4xx. */
export function isFatal(error: unknown): boolean {
  if (!isCallwireError(error)) return false;
  if (FATAL_NAMES.has(error.name)) return true;
  if (error.code === 'disposed') return true;
  const status = error.status;
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
