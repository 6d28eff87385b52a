import type { ErrorEnvelope } from '@callwire/types';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError } from './api-error.js';
import type { CorsPolicy } from './cors.js';
import { requestHeadError } from './request-limits.js';

/**
 * Turns every error into the contract's envelope. ApiErrors keep their code; zod validation errors
 * become 400 `validation_failed` with `fields` keyed `<body|query|params>.<path>`; Fastify's own
 * client errors (body too large, bad JSON, wrong content type, bad URL encoding) get their 4xx and
 * a contract code; anything else is a 500
 * `internal` whose details go to the log only.
 */
const CONTEXT: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'header',
};

interface ZodLikeIssue {
  instancePath: string;
  message: string;
  keyword: string;
  params: { keys?: unknown };
}

export function validationFields(
  context: string,
  issues: readonly ZodLikeIssue[],
): Record<string, { message: string }> {
  const prefix = CONTEXT[context] ?? context;
  const fields: Record<string, { message: string }> = {};
  for (const issue of issues) {
    const path = issue.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    const base = path === '' ? prefix : `${prefix}.${path}`;
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
      for (const key of issue.params.keys) fields[`${base}.${String(key)}`] = { message: 'unknown field' };
      continue;
    }
    fields[base] ??= { message: issue.message };
  }
  return fields;
}

function envelope(request: FastifyRequest, error: ApiError): ErrorEnvelope {
  const body: ErrorEnvelope = {
    success: false,
    status: error.status,
    code: error.code,
    message: error.message,
    request_id: String(request.id),
  };
  if (error.fields !== undefined) body.fields = error.fields;
  if (error.accounts !== undefined) body.accounts = error.accounts;
  return body;
}

export function sendApiError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  reply.header('x-request-id', request.id);
  return reply.code(error.status).type('application/json; charset=utf-8').send(envelope(request, error));
}

/**
 * Every error Fastify raises that a client can trigger, with the contract's code and a sentence
 * about the request (Fastify's own codes and wording never reach a client).
 */
const FASTIFY_CODES: Record<string, [string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'The request body is larger than 1 MiB'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    'unsupported_media_type',
    'Send the body as application/json or application/x-www-form-urlencoded',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_request', 'The Content-Length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_request', 'The JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_request', 'The body is not valid JSON'],
  FST_ERR_BAD_URL: ['invalid_request', 'The URL is not valid: a percent-escape does not decode to UTF-8'],
  // Decided as 400, not 404: ids are UUIDs, so an over-long path segment is a malformed request,
  // the same answer a slightly shorter bad id gets from validation.
  FST_ERR_MAX_PARAM_LENGTH: ['invalid_request', 'A path segment is longer than 500 characters'],
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: [
    'unsupported_media_type',
    'The request has a body but no Content-Type',
  ],
  FST_ERR_ROUTE_MISSING_CONTENT: ['invalid_request', 'The request needs a body'],
  FST_ERR_VALIDATION: ['validation_failed', 'The request is not valid'],
  FST_ERR_NOT_FOUND: ['not_found', 'Not found'],
};

/** The code a 4xx status travels with when nothing more precise is known. */
const STATUS_CODES: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'headers_too_large',
};

export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const fields = validationFields(context, error.validation as unknown as ZodLikeIssue[]);
    const first = Object.entries(fields)[0];
    const message = first === undefined ? 'The request is not valid' : `${first[0]}: ${first[1].message}`;
    return new ApiError('validation_failed', message, { fields });
  }
  const fe = error as Partial<FastifyError> & { status?: number };
  if (typeof fe.code === 'string') {
    const mapped = FASTIFY_CODES[fe.code];
    if (mapped !== undefined) return new ApiError(mapped[0], mapped[1]);
  }
  if (error instanceof SyntaxError) return new ApiError('invalid_request', 'The body is not valid JSON');
  const status = fe.statusCode ?? fe.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // A framework error not listed above: its status stands, its wording and code stay inside.
    const internal = typeof fe.code === 'string' && fe.code.startsWith('FST_');
    const message =
      !internal && typeof fe.message === 'string' && fe.message !== ''
        ? fe.message
        : 'The request is not valid';
    return new ApiError(STATUS_CODES[status] ?? 'invalid_request', message, { status });
  }
  return undefined;
}

/** The one way an error becomes a response: the envelope, or a logged 500 without details. */
export function answerError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const api = toApiError(error);
  if (api !== undefined) return sendApiError(request, reply, api);
  request.log.error({ err: error }, 'unhandled error');
  return sendApiError(request, reply, new ApiError('internal', 'Internal server error', { status: 500 }));
}

/** `cors` puts the CORS headers on 404s, which no route pipeline sees. */
export function installErrorHandling(app: FastifyInstance, cors: CorsPolicy): void {
  app.setErrorHandler(answerError);
  app.setNotFoundHandler((request, reply) => {
    cors.apply(request, reply);
    return sendApiError(
      request,
      reply,
      // An unrouted request skips the route hooks that check the head: check it here too.
      requestHeadError(request.raw) ??
        new ApiError('not_found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`),
    );
  });
}
