import { CallwireError, type CallwireErrorOptions, type FieldError } from './callwire-error.js';
import {
  type AccountChoice,
  AccountRequiredError,
  AuthenticationError,
  ConflictError,
  InsufficientBalanceError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ValidationError,
} from './classes.js';
import type { HeadersLike } from './redact.js';

/** Fallback codes when a response carries no contract envelope (a proxy's HTML page, an empty body). */
const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  402: 'insufficient_balance',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  431: 'headers_too_large',
  500: 'internal',
  502: 'bad_gateway',
  503: 'unavailable',
  504: 'gateway_timeout',
};

function header(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers == null) return undefined;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  if (Symbol.iterator in headers) {
    for (const [key, value] of headers as Iterable<readonly [string, string]>) {
      if (key.toLowerCase() === name) return value;
    }
    return undefined;
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined) {
      return Array.isArray(value) ? value[0] : String(value);
    }
  }
  return undefined;
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); result in whole seconds. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFields(value: unknown): Record<string, FieldError> | undefined {
  if (!isRecord(value)) return undefined;
  const fields: Record<string, FieldError> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isRecord(item) && typeof item.message === 'string') fields[key] = { message: item.message };
  }
  return fields;
}

function readAccounts(value: unknown): AccountChoice[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) =>
    isRecord(item) && typeof item.uuid === 'string'
      ? [{ uuid: item.uuid, name: typeof item.name === 'string' ? item.name : '' }]
      : [],
  );
}

/**
 * Maps an error response to the matching class of the family. `body` is the parsed JSON (or the
 * raw text, or undefined); anything that is not the contract's envelope still yields a useful error.
 */
export function errorFromResponse(status: number, body: unknown, headers?: HeadersLike): CallwireError {
  const envelope = isRecord(body) ? body : undefined;
  const code =
    typeof envelope?.code === 'string' ? envelope.code : (STATUS_CODES[status] ?? `http_${status}`);
  const message =
    typeof envelope?.message === 'string' && envelope.message.length > 0
      ? envelope.message
      : `The server answered ${status} (${code})`;
  const requestId =
    typeof envelope?.request_id === 'string' ? envelope.request_id : header(headers, 'x-request-id');
  const options: CallwireErrorOptions = {
    status,
    code,
    message,
    requestId,
    fields: readFields(envelope?.fields),
  };

  if (code === 'account_required') {
    return new AccountRequiredError({ ...options, accounts: readAccounts(envelope?.accounts) });
  }
  switch (status) {
    case 400:
    case 422:
      return new ValidationError(options);
    case 401:
      return new AuthenticationError(options);
    case 402:
      return new InsufficientBalanceError(options);
    case 403:
      return new PermissionError(options);
    case 404:
      return new NotFoundError(options);
    case 409:
      return new ConflictError(options);
    case 429:
      return new RateLimitError({ ...options, retryAfter: parseRetryAfter(header(headers, 'retry-after')) });
    default:
      return new CallwireError({ ...options, retryAfter: parseRetryAfter(header(headers, 'retry-after')) });
  }
}
