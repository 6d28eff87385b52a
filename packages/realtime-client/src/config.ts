import type { AuthStrategy, FetchLike, LogFn } from '@callwire/auth-core';
import { createLog } from '@callwire/auth-core';
import type { LenientEventResult } from '@callwire/types';
import type { RealtimeClientOptions } from './api.js';
import { baseUrlFromWsUrl } from './backfill.js';
import { Backoff } from './backoff.js';
import { type Counters, createCounters } from './counters.js';
import { type CursorStore, MemoryCursorStore } from './cursor-store.js';
import { defaultTimers, type RealtimeTimers } from './timers.js';
import { resolveWebSocket, type WebSocketConstructor } from './websocket.js';

/** The options, checked once, with every default applied. */
export interface ClientConfig {
  /** Made here so the connection can take this object as its options rather than a copy. */
  counters: Counters;
  url: string;
  auth: AuthStrategy;
  accountId: string | undefined;
  WebSocket: WebSocketConstructor;
  store: CursorStore;
  backoff: Backoff;
  interval: number;
  tolerance: number;
  log: LogFn;
  baseUrl: string;
  fetch: FetchLike;
  validate: ((event: unknown) => LenientEventResult) | undefined;
  maxQueue: number;
  timers: RealtimeTimers;
}

function positiveInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer`);
  }
  return value;
}

function validateUrl(url: unknown): string {
  if (typeof url !== 'string' || !URL.canParse(url)) {
    throw new TypeError('url must be an absolute websocket URL such as ws://127.0.0.1:8787/ws');
  }
  const parsed = new URL(url);
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new TypeError('url must be ws: or wss:');
  for (const name of ['token', 'jwt', 'bearer', 'access_token']) {
    // Tokens in URLs end up in logs; the server refuses them, so refuse early.
    if (parsed.searchParams.has(name))
      throw new TypeError('url must not carry a token: the client sends it in a message');
  }
  if (parsed.username !== '' || parsed.password !== '') throw new TypeError('url must not carry credentials');
  return url;
}

function validateAuth(auth: unknown): AuthStrategy {
  const candidate = auth as Partial<AuthStrategy> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.token !== 'function' ||
    typeof candidate.refresh !== 'function' ||
    typeof candidate.authorize !== 'function'
  ) {
    throw new TypeError('auth must be an auth strategy from @callwire/auth-core (token, refresh, authorize)');
  }
  return candidate as AuthStrategy;
}

function eventParser(value: unknown): ((event: unknown) => LenientEventResult) | undefined {
  if (value !== undefined && typeof value !== 'function')
    throw new TypeError('validate must be a function such as parseEventLenient from @callwire/types');
  return value as ((event: unknown) => LenientEventResult) | undefined;
}

/** Looked up at call time, so a fetch installed (or mocked) after the client was made is used. */
const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

export function resolveConfig(options: RealtimeClientOptions): ClientConfig {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createRealtimeClient expects an options object');
  }
  const url = validateUrl(options.url);
  const auth = validateAuth(options.auth);
  if (
    options.accountId !== undefined &&
    (typeof options.accountId !== 'string' || options.accountId === '')
  ) {
    throw new TypeError('accountId must be an account uuid');
  }
  const WebSocket = resolveWebSocket(options.WebSocket);
  const store = options.cursorStore ?? new MemoryCursorStore();
  if (typeof store.get !== 'function' || typeof store.set !== 'function') {
    throw new TypeError('cursorStore must have get(key) and set(key, seq)');
  }
  const log = createLog(options.logger);
  const backoff = new Backoff(options.backoff);
  const interval = positiveInt(options.heartbeat?.interval ?? 25_000, 'heartbeat.interval');
  const tolerance = positiveInt(options.heartbeat?.tolerance ?? 10_000, 'heartbeat.tolerance');
  const baseUrl = (options.baseUrl ?? baseUrlFromWsUrl(url)).replace(/\/+$/, '').replace(/\/rest$/, '');
  const given = options.fetch;
  if (given !== undefined && typeof given !== 'function') throw new TypeError('fetch must be a function');
  const fetch: FetchLike = given ?? globalFetch;
  return {
    counters: createCounters(),
    url,
    auth,
    accountId: options.accountId ?? auth.accountId,
    WebSocket,
    store,
    backoff,
    interval,
    tolerance,
    log,
    baseUrl,
    fetch,
    validate: eventParser(options.validate),
    maxQueue: positiveInt(options.maxQueue ?? 10_000, 'maxQueue'),
    timers: options.timers ?? defaultTimers,
  };
}
