import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorEnvelope } from '@callwire/types';
import type { FastifyBaseLogger } from 'fastify';
import type { RequestIds } from './request-id.js';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a head larger than Node's limit,
 * bytes that are not HTTP, a request that took too long to arrive) are answered here, in the
 * same envelope and with an `X-Request-Id` like every other error, instead of Node's bare status
 * line. They are logged at debug only: anyone can send them, so they must not flood the log.
 */
export function answerClientError(
  logger: FastifyBaseLogger,
  error: Error & { code?: string },
  socket: Socket,
  requestIds: RequestIds,
): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = classify(error.code);
  const requestId = requestIds.fresh();
  logger.debug({ code: error.code, status, requestId }, 'refused a request that is not acceptable HTTP');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body: ErrorEnvelope = { success: false, status, code, message, request_id: requestId };
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      text,
  );
}

function classify(code: string | undefined): [number, string, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'headers_too_large', 'The request line and headers are too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return [408, 'request_timeout', 'The request did not arrive in time'];
    default:
      return [400, 'invalid_request', 'The request is not valid HTTP'];
  }
}
