/**
 * The listener type is deliberately loose (`object`): the DOM's, undici's and `ws`'s event classes
 * all fit it, so any of the three constructors can be passed without a cast.
 */
export type SocketListener = (event: object) => void;

/** The part of the WHATWG `WebSocket` the client uses: the browser's, Node 22+'s global, or `ws`. */
export interface WebSocketLike {
  readonly readyState: number;
  /** Sends a text frame. */
  send(data: string): void;
  /** Closes the socket. */
  close(code?: number, reason?: string): void;
  /** Listens to `open`, `message`, `close` or `error`. */
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: SocketListener): void;
  /** Stops listening. */
  removeEventListener(type: 'open' | 'message' | 'close' | 'error', listener: SocketListener): void;
}

/** A constructor of {@link WebSocketLike} sockets, such as the global `WebSocket` or `ws`'s. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The fields of the events the client reads. */
export interface MessageEventLike {
  data: unknown;
}
/** The fields of a close event the client reads. */
export interface CloseEventLike {
  code: number;
  reason?: string;
}

export const OPEN = 1;

/** The socket events the client listens to. */
export const SOCKET_EVENTS = ['open', 'message', 'close', 'error'] as const;

export function resolveWebSocket(given: WebSocketConstructor | undefined): WebSocketConstructor {
  if (given !== undefined) {
    if (typeof given !== 'function') throw new TypeError('WebSocket must be a WebSocket constructor');
    return given;
  }
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof global !== 'function') {
    throw new TypeError('No global WebSocket (Node 22+ and browsers have one): pass the `WebSocket` option');
  }
  return global;
}
