import type { AuthStrategy, LogFn } from '@callwire/auth-core';
import type { StateChange } from './api.js';
import type { Backoff } from './backoff.js';
import type { Counters } from './counters.js';
import type { RealtimeTimers } from './timers.js';
import type { WebSocketConstructor } from './websocket.js';

/** What the connection tells the rest of the client. */
export interface ConnectionHost {
  /** The socket authenticated (first time or after a reconnect). */
  opened(): void;
  /** An `event` frame: the hot path, kept apart from the other frames. */
  event(message: Record<string, unknown>): void;
  /** `subscribed` and `unsubscribed` frames. */
  frame(message: Record<string, unknown>): void;
  /** An error frame naming one of our requests; true when it was someone's answer. */
  requestFailed(id: string, code: string, message: string): boolean;
  /** The socket is gone; a reconnect (or a fatal error) follows. */
  closed(): void;
  /** A fatal error stopped the connection for good. */
  failed(error: unknown): void;
  state(change: StateChange): void;
  error(error: unknown): void;
}

export interface ConnectionOptions {
  url: string;
  WebSocket: WebSocketConstructor;
  auth: AuthStrategy;
  timers: RealtimeTimers;
  backoff: Backoff;
  interval: number;
  tolerance: number;
  log: LogFn;
  counters: Counters;
}
