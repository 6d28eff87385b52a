import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';

/**
 * Size limits of the request head, answered in the error envelope by the server itself. Node's own
 * parser limit ({@link NODE_MAX_HEADER_SIZE}) sits well above them, so that a long URL or a large
 * header block reaches this check and gets a precise code; only heads beyond Node's limit are
 * answered by the client-error handler (431 as well, in the same envelope).
 */

/** The longest request target (path and query) accepted: 8 KiB, like a header line. */
export const MAX_URL_LENGTH = 8 * 1024;
/** The longest single header line (name and value) accepted. */
export const MAX_HEADER_LINE = 8 * 1024;
/** The largest header block (every name and value) accepted. */
export const MAX_HEADER_BLOCK = 32 * 1024;
/** Node's parser limit for the whole request head; larger heads never reach a route. */
export const NODE_MAX_HEADER_SIZE = 128 * 1024;

/** The error to answer when the request head is over a limit, else undefined. */
export function requestHeadError(raw: IncomingMessage): ApiError | undefined {
  if ((raw.url?.length ?? 0) > MAX_URL_LENGTH) {
    return new ApiError(
      'uri_too_long',
      `The request URL is longer than ${MAX_URL_LENGTH / 1024} KiB: send filters in a search body instead`,
    );
  }
  const headers = raw.rawHeaders;
  let total = 0;
  for (let i = 0; i < headers.length; i += 2) {
    const line = (headers[i] as string).length + (headers[i + 1] as string).length;
    if (line > MAX_HEADER_LINE) {
      return new ApiError('headers_too_large', `A header line is longer than ${MAX_HEADER_LINE / 1024} KiB`);
    }
    total += line;
  }
  if (total > MAX_HEADER_BLOCK) {
    return new ApiError(
      'headers_too_large',
      `The request headers are larger than ${MAX_HEADER_BLOCK / 1024} KiB`,
    );
  }
  return undefined;
}
