import { AuthenticationError, CallwireError, PermissionError } from '@callwire/auth-core';

/** A `for await` consumer fell `bufferSize` events behind with `overflow: 'error'`. */
export class BufferOverflowError extends CallwireError {
  constructor(bufferSize: number) {
    super({
      code: 'buffer_overflow',
      message: `The events() consumer fell more than ${bufferSize} events behind (overflow: 'error')`,
    });
  }
}

/** The client was disposed while something waited on it. */
export function disposedError(): CallwireError {
  return new CallwireError({ code: 'disposed', message: 'The realtime client was disposed' });
}

/** Close 4403 (or an auth refusal that says forbidden): the server will not let this principal in. */
export function forbiddenError(code: string | undefined, message: string | undefined): PermissionError {
  return new PermissionError({
    code: code ?? 'forbidden',
    message: message ?? 'The server refused this connection (4403): not retrying',
  });
}

/** Close 4401 after the one refresh we allow, or a strategy that cannot renew its token. */
export function unauthenticatedError(
  code: string | undefined,
  message: string | undefined,
): AuthenticationError {
  return new AuthenticationError({
    code: code ?? 'unauthenticated',
    message: message ?? 'The server refused the token (4401) and a refreshed token did not help',
  });
}

/** Close 4400: the server did not understand us, explained by its error frame when it sent one. */
export function badMessageError(
  refusal: { code: string; message: string } | undefined,
  reason: string,
): CallwireError {
  return new CallwireError({
    code: refusal?.code ?? 'bad_message',
    message: refusal?.message ?? (reason || 'The server closed the socket: bad message (4400)'),
  });
}

/** A subscribe the server answered with an error frame. */
export function subscribeError(code: string, message: string): CallwireError {
  if (code === 'account_forbidden' || code === 'forbidden') return new PermissionError({ code, message });
  return new CallwireError({ code, message });
}
