export type {
  ConnectionState,
  GapNotice,
  GapReason,
  HeartbeatOptions,
  RealtimeClient,
  RealtimeClientOptions,
  RealtimeMetrics,
  StateChange,
} from './api.js';
export type { BackoffOptions } from './backoff.js';
export { createRealtimeClient } from './client.js';
export { type CursorStore, createMemoryCursorStore, createStorageCursorStore } from './cursor-store.js';
export { BufferOverflowError } from './errors.js';
export type { EventsOptions, OverflowPolicy } from './event-stream.js';
export type {
  EventFamilyPattern,
  EventForPattern,
  EventHandler,
  EventTypePrefixes,
  KnownEventPattern,
  UnknownEventNotice,
} from './event-types.js';
export type { RealtimeLogger } from './logger.js';
export type { SubscribedInfo, SubscribeOptions, SubscriptionHandle } from './subscription.js';
export type { RealtimeTimers } from './timers.js';
export type {
  CloseEventLike,
  MessageEventLike,
  SocketListener,
  WebSocketConstructor,
  WebSocketLike,
} from './websocket.js';
