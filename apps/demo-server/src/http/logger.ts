import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from '../config.js';

/**
 * pino options. Secrets never reach a log line: the request serializer logs no headers and masks
 * token-like query parameters, and redaction covers every path where a credential could appear
 * if someone logs a request, a body or an error object.
 */
const SECRET_QUERY = /([?&](?:jwt|bearer|token|access_token|password|secret|refresh_token)=)[^&]*/gi;

export function loggerOptions(
  level: LogLevel,
  stream?: { write(line: string): unknown },
): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    ...(stream !== undefined ? { stream } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-auth-token"]',
        'req.headers.cookie',
        'headers.authorization',
        'headers["x-auth-token"]',
        'body.password',
        'body.refresh_token',
        'body.token',
        'body.secret',
        '*.password',
        '*.token',
        '*.refresh_token',
        '*.secret',
        '*.signing_secret',
      ],
      censor: '[redacted]',
    },
    hooks: {
      // The bin prints its own "Listening on …" line (with the real port); Fastify's is a duplicate.
      logMethod(args, method) {
        if (typeof args[0] === 'string' && args[0].startsWith('Server listening at')) return;
        method.apply(this, args);
      },
    },
    serializers: {
      req(request: { method: string; url: string; id?: unknown; ip?: string }) {
        return {
          id: request.id,
          method: request.method,
          url: request.url.replace(SECRET_QUERY, '$1[redacted]'),
          ip: request.ip,
        };
      },
    },
  };
}
