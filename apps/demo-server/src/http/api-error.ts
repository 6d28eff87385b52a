import { ERROR_CODES, type ErrorCode } from '@callwire/types';

/**
 * The one error type routes throw. The error handler turns it into the contract's envelope
 * `{success: false, status, code, message, request_id, fields?, accounts?}` with its headers.
 */
export interface ApiErrorOptions {
  fields?: Record<string, { message: string }>;
  accounts?: Array<{ uuid: string; name: string }>;
  headers?: Record<string, string>;
  /** Overrides the status that travels with the code. */
  status?: number;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, { message: string }> | undefined;
  readonly accounts: Array<{ uuid: string; name: string }> | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode | (string & {}), message: string, options: ApiErrorOptions = {}) {
    super(message);
    this.code = code;
    this.status = options.status ?? (ERROR_CODES as Record<string, number>)[code] ?? 400;
    this.fields = options.fields;
    this.accounts = options.accounts;
    this.headers = options.headers ?? {};
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export const badRequest = (message: string) => new ApiError('invalid_request', message);
export const validationFailed = (message: string, fields?: Record<string, { message: string }>) =>
  new ApiError('validation_failed', message, fields ? { fields } : {});
export const notFound = (what = 'resource') => new ApiError('not_found', `The ${what} was not found`);
export const forbidden = (message = 'Your access level does not allow this') =>
  new ApiError('forbidden', message);
export const conflict = (message: string) => new ApiError('conflict', message);
export const insufficientBalance = (message = 'The account balance cannot cover this') =>
  new ApiError('insufficient_balance', message);
export const rateLimited = (retryAfterSeconds: number, message = 'Too many requests; retry later') =>
  new ApiError('rate_limited', message, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
