import { ApiError } from '../http/api-error.js';

/**
 * The telephony area's errors in the contract's vocabulary, built on the server's one error type so
 * the error handler turns them into the envelope.
 */
export { ApiError as TelephonyError };

export function notFound(what: string): ApiError {
  return new ApiError('not_found', `The ${what} was not found`);
}

export function insufficientBalance(neededMicros: number): ApiError {
  const dollars = (neededMicros / 1_000_000).toFixed(5).replace(/0+$/, '').replace(/\.$/, '');
  return new ApiError('insufficient_balance', `The account balance does not cover ${dollars} USD`);
}

export function conflict(message: string, code = 'conflict'): ApiError {
  return new ApiError(code, message, { status: 409 });
}

/** 400 validation_failed naming one field (`body.from`, `query.end_date`, …). */
export function invalidField(field: string, message: string): ApiError {
  return new ApiError('validation_failed', `${field}: ${message}`, { fields: { [field]: { message } } });
}
