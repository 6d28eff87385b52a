import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * The JSON body parser: an empty body is "no body" (clients send `Content-Type: application/json`
 * with nothing on POSTs such as logout), nesting deeper than the limit is refused before parsing
 * (a deep document would otherwise cost stack and time), and prototype-poisoning keys are refused.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Many Windows tools start UTF-8 text with a byte-order mark; it says nothing about the content
 * (RFC 8259 lets a parser ignore it), so it is dropped instead of failing the parse.
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The NUL character (U+0000) is refused in every text a client sends (URL, JSON and form bodies):
 * PostgreSQL cannot store it, and no field of the API has a use for it, so both databases answer
 * the same 400 instead of one of them failing.
 */
export function nulRefused(): ApiError {
  return new ApiError('invalid_request', 'Text may not contain the NUL character (U+0000, %00)');
}

function refuseNul(key: string, value: unknown): unknown {
  if (key.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000'))) throw nulRefused();
  return value;
}

const POISON = /"(?:__proto__|constructor|prototype)"\s*:/;

export function installJsonParser(app: FastifyInstance, maxDepth: number): void {
  // Bodies are JSON or form-encoded: text/plain is answered 415, not parsed.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = withoutBom(body as string);
    if (text.trim() === '') return done(null, undefined);
    if (jsonDepthExceeds(text, maxDepth)) {
      return done(
        new ApiError('invalid_request', `The JSON body is nested deeper than ${maxDepth} levels`),
        undefined,
      );
    }
    if (POISON.test(text)) {
      return done(
        new ApiError(
          'invalid_request',
          'The JSON body uses a reserved key (__proto__, constructor, prototype)',
        ),
        undefined,
      );
    }
    let parsed: unknown;
    try {
      // The reviver costs a call per value: only bodies that spell a NUL need it.
      parsed = text.includes('\\u0000') ? JSON.parse(text, refuseNul) : JSON.parse(text);
    } catch (error) {
      done(
        error instanceof ApiError ? error : new ApiError('invalid_request', 'The body is not valid JSON'),
        undefined,
      );
      return;
    }
    done(null, parsed);
  });
}

/**
 * Form bodies (`curl -d`) arrive as strings; "true"/"false" become booleans so flags such as
 * `auth_only` work. Nothing else is converted: phone numbers must stay strings.
 */
export function coerceFormBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    refuseNul(k, v);
    out[k] = v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}
