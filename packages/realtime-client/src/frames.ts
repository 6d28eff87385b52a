import type { LogFn } from '@callwire/auth-core';

/** Error-frame codes the server sends right before closing the socket (4400/4401/4403). */
const CLOSE_BOUND_CODES: ReadonlySet<string> = new Set([
  'unauthenticated',
  'token_expired',
  'token_revoked',
  'invalid_token',
  'forbidden',
  'api_access_disabled',
  'user_disabled',
  'bad_message',
  'payload_too_large',
]);

/** A text frame's JSON object; anything else is logged and ignored (never a crash). */
export function parseFrame(data: unknown, log: LogFn): Record<string, unknown> | undefined {
  if (typeof data !== 'string') {
    log('warn', 'Ignoring a binary frame');
    return undefined;
  }
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    log('warn', 'Ignoring a frame that is not JSON');
    return undefined;
  }
  return typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : undefined;
}

/** The fields of an `error` frame, with defaults for a server that left some out. */
export function errorFrameFields(message: Record<string, unknown>): {
  id: string | undefined;
  code: string;
  text: string;
} {
  return {
    id: typeof message.id === 'string' ? message.id : undefined,
    code: typeof message.code === 'string' ? message.code : 'error',
    text: typeof message.message === 'string' ? message.message : 'server error',
  };
}

/** Why the server refused our `auth` frame, with defaults for a server that left it out. */
export function authRefusal(message: Record<string, unknown>): { code: string; message: string } {
  return {
    code: typeof message.code === 'string' ? message.code : 'unauthenticated',
    message: typeof message.message === 'string' ? message.message : 'authentication refused',
  };
}

/** An error the server explains right before it closes the socket: the close reports it. */
export function isCloseBound(code: string): boolean {
  return CLOSE_BOUND_CODES.has(code);
}
