import type { OpenAPIV3_1 as OA } from 'openapi-types';

/**
 * What every status means, in the words a client needs. One table, so every operation that can
 * answer a status describes it alike.
 */
const STATUS_TEXT: Readonly<Record<string, string>> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted: the work continues asynchronously; follow it with events or by reading the resource',
  '204': 'Done; no content',
  '400':
    'The request is invalid (`invalid_request`, `validation_failed` with `fields`, or `account_required` with the `accounts` the caller may name)',
  '401': 'Missing, wrong or expired credentials; `WWW-Authenticate` names the schemes to retry with',
  '402': 'The account balance cannot cover this (`insufficient_balance`)',
  '403':
    'Not allowed: `api_access_disabled`, `forbidden` (not enough access on the account) or `account_forbidden`',
  '404': 'Not found in this account (`not_found`)',
  '409':
    'Conflicts with the current state (`conflict`), or an `Idempotency-Key` reused with another body (`idempotency_conflict`)',
  '413': 'The body is larger than 1 MiB (`payload_too_large`)',
  '414': 'A path parameter or the URL is too long (`invalid_request`)',
  '415': 'The body is neither JSON nor a form (`unsupported_media_type`)',
  '429': 'Too many requests or failed sign-ins (`rate_limited`): wait `Retry-After` seconds',
  '431': 'A header line is longer than 8 KiB, or all headers together too large (`invalid_request`)',
  '500': 'An unexpected server error (`internal`); never carries details',
  '503': 'The server is shutting down (`unavailable`): retry on another instance or later',
};

export function statusText(status: string): string {
  return STATUS_TEXT[status] ?? 'Response';
}

/**
 * Statuses every operation may answer, whatever its route does: they come from the HTTP layer
 * (bad encoding, sizes, content type, rate limits, shutdown, unexpected failures).
 */
export const FRAMEWORK_STATUSES = ['400', '413', '414', '415', '429', '431', '500', '503'] as const;
/** Statuses of operations behind authentication. */
export const AUTH_STATUSES = ['401', '403'] as const;
/** Statuses of account-scoped operations (account_required, account_forbidden, forbidden). */
export const SCOPE_STATUSES = ['400', '403'] as const;
/** POST operations take `Idempotency-Key`; the same key with another body is a 409. */
export const IDEMPOTENT_STATUSES = ['409'] as const;
/** Operations with a path parameter can name something that is not there. */
export const LOOKUP_STATUSES = ['404'] as const;

/** Reusable header objects, referenced from every response and operation that carries them. */
export const HEADERS: Record<string, OA.HeaderObject> = {
  RequestId: {
    description:
      'The request id: yours when you sent a valid `X-Request-Id` (1..128 of `A-Za-z0-9_.:-`), else a new one. Quote it when reporting a problem.',
    required: true,
    schema: { type: 'string' },
  },
  AccountId: {
    description: 'The account the request ran under (on errors too, once the account was decided).',
    schema: { type: 'string', format: 'uuid' },
  },
  IdempotentReplayed: {
    description:
      '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true'] },
  },
  RetryAfter: {
    description: 'Seconds to wait before trying again.',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
  WwwAuthenticate: {
    description:
      'The challenges to answer: `Basic realm="callwire", charset="UTF-8"` and `Bearer realm="callwire"`.',
    required: true,
    schema: { type: 'string' },
  },
};

const ref = (name: string): OA.ReferenceObject => ({ $ref: `#/components/headers/${name}` });

export interface ResponseShape {
  /** The operation is account-scoped: answers after scoping carry `X-Account-Id`. */
  scoped: boolean;
  /** The operation is a POST: its non-5xx answers may be replays. */
  idempotent: boolean;
}

/** The headers a response with this status carries. */
export function responseHeaders(status: string, shape: ResponseShape): Record<string, OA.ReferenceObject> {
  const headers: Record<string, OA.ReferenceObject> = { 'X-Request-Id': ref('RequestId') };
  const code = Number(status);
  if (shape.scoped) headers['X-Account-Id'] = ref('AccountId');
  if (shape.idempotent && code < 500) headers['Idempotent-Replayed'] = ref('IdempotentReplayed');
  if (code === 429 || code === 503) headers['Retry-After'] = ref('RetryAfter');
  if (code === 401) headers['WWW-Authenticate'] = ref('WwwAuthenticate');
  return headers;
}

/** Component names of the error answers, one per status. */
const ERROR_NAMES: Readonly<Record<string, string>> = {
  '400': 'BadRequest',
  '401': 'Unauthorized',
  '402': 'PaymentRequired',
  '403': 'Forbidden',
  '404': 'NotFound',
  '409': 'Conflict',
  '413': 'PayloadTooLarge',
  '414': 'UriTooLong',
  '415': 'UnsupportedMediaType',
  '429': 'TooManyRequests',
  '431': 'HeaderFieldsTooLarge',
  '500': 'InternalError',
  '503': 'Unavailable',
};

/**
 * Error answers are shared components, referred to by every operation (a generated client gets one
 * type per status instead of a copy per operation). They list the headers every error carries;
 * errors of account-scoped operations also carry `X-Account-Id` once the account is decided, and
 * replays `Idempotent-Replayed`, as their descriptions say.
 */
export function errorResponses(): Record<string, OA.ResponseObject> {
  const responses: Record<string, OA.ResponseObject> = {};
  for (const [status, name] of Object.entries(ERROR_NAMES)) {
    responses[name] = {
      description: statusText(status),
      headers: responseHeaders(status, { scoped: false, idempotent: false }),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
    };
  }
  return responses;
}

/** The reference to the error answer for a status. */
export function errorResponse(status: string): OA.ReferenceObject {
  const name = ERROR_NAMES[status];
  if (name === undefined) throw new Error(`no error answer is described for status ${status}`);
  return { $ref: `#/components/responses/${name}` };
}
