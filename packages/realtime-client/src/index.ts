export type { BackoffOptions } from './backoff.js';
export {
  type ConnectionState,
  createRealtimeClient,
  type GapNotice,
  type GapReason,
  type HeartbeatOptions,
  type RealtimeClient,
  type RealtimeClientOptions,
  type RealtimeMetrics,
  type StateChange,
} from './client.js';
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
