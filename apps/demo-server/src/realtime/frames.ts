import type { RawData } from 'ws';
import type { z } from 'zod';
import type { WsAuthError } from './ports.js';

/** A websocket message after JSON.parse: an object with a `type`. */
export type Json = Record<string, unknown>;

/** A refusal from the ports' `authenticate` (the REST status and code the socket reports). */
export function isWsAuthError(value: unknown): value is WsAuthError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** The first validation issue of a message, as the `message` of a `validation_failed` error. */
export function describeIssues(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid message';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}

/** The message's `id` to echo in the reply, when it is a usable one. */
export function idOf(message: Json): { id?: string } {
  const id = message.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? { id } : {};
}

/** An `error` frame answering `message` (the socket stays open). */
export function errorFrame(message: Json, code: string, text: string): Json {
  return { type: 'error', ...idOf(message), code, message: text };
}

const KNOWN_TYPES = new Set(['auth', 'authrequest', 'subscribe', 'unsubscribe', 'reauth', 'ping']);

/** A frame from the client: a message of a known type, or why it is refused (the socket then closes). */
export type DecodedFrame =
  | { ok: true; type: string; message: Json }
  | { ok: false; code: 'bad_message' | 'payload_too_large'; text: string };

export function decodeFrame(data: RawData, isBinary: boolean, maxBytes: number): DecodedFrame {
  if (isBinary)
    return { ok: false, code: 'bad_message', text: 'Frames are JSON text; binary frames are refused' };
  if (byteLength(data) > maxBytes) {
    return { ok: false, code: 'payload_too_large', text: `A message may be at most ${maxBytes} bytes` };
  }
  let message: unknown;
  try {
    message = JSON.parse(toText(data));
  } catch {
    return { ok: false, code: 'bad_message', text: 'The frame is not valid JSON' };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { ok: false, code: 'bad_message', text: 'A message is a JSON object with a type' };
  }
  const type = (message as Json).type;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    return {
      ok: false,
      code: 'bad_message',
      text: `Unknown message type; expected one of ${[...KNOWN_TYPES].join(', ')}`,
    };
  }
  return { ok: true, type, message: message as Json };
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Basic credentials sent where a token belongs: refused with a message that says what to do. */
export function looksLikeBasic(message: Json): boolean {
  if ('username' in message || 'password' in message || 'email' in message) return true;
  for (const key of ['token', 'payload'] as const) {
    const value = message[key];
    if (typeof value === 'string' && (/^basic\s/i.test(value) || value.includes(':'))) return true;
  }
  return false;
}
