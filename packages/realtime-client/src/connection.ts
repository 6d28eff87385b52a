import { CallwireError, isCallwireError, type LogFn } from '@callwire/auth-core';
import { WS_CLOSE } from '@callwire/types';
import type { ConnectionState, StateChange } from './api.js';
import type { ConnectionHost, ConnectionOptions } from './connection-host.js';
import { badMessageError, forbiddenError, unauthenticatedError } from './errors.js';
import { isFatal } from './fatal.js';
import { authRefusal, errorFrameFields, isCloseBound, parseFrame } from './frames.js';
import { LastFrame } from './last-frame.js';
import { Liveness, type LivenessHost } from './liveness.js';
import { Alarm, type Sleeper } from './timers.js';
import { type RenewalHost, TokenRenewal } from './token-renewal.js';
import {
  type CloseEventLike,
  type MessageEventLike,
  OPEN,
  SOCKET_EVENTS,
  type SocketListener,
  type WebSocketLike,
} from './websocket.js';
import { authExpiry } from './wire-checks.js';

/** Our own close code for sockets we end (dead link, shedding load, failed backfill). */
export const CLIENT_CLOSE = 4000;
/**
 * The one socket: opening it with a token, the auth handshake, what each close code means, backoff
 * between attempts, and the state users see. Every async step of an attempt checks `#generation`,
 * so an abandoned attempt can never act on a newer one. One alarm serves every deadline.
 */
export class Connection implements LivenessHost, RenewalHost, Sleeper {
  readonly #options: ConnectionOptions;
  readonly #host: ConnectionHost;
  readonly #alarm: Alarm;
  readonly #liveness: Liveness;
  readonly #renewal: TokenRenewal;
  /** One listener for the four socket events (told apart by `type`), made once; sockets we leave are unlistened first. */
  readonly #onSocketEvent: SocketListener = (event) => this.#socketEvent(event);
  /** When the next attempt is due while waiting out a backoff, Infinity otherwise. */
  #retryAt = Number.POSITIVE_INFINITY;
  #state: ConnectionState = 'idle';
  #disposed = false;
  #fatal: unknown;
  #everOpened = false;
  #ws: WebSocketLike | undefined;
  #generation = 0;
  #opening = false;
  #authenticated = false;
  #paused = false;
  #openedAt = 0;
  /** Keeps the receive path's optimized code through a full collection between bursts. */
  readonly #lastFrame = new LastFrame();
  /** Why the server refused us, from the frame before its close: the close reports it. */
  #refusal: { code: string; message: string } | undefined;
  /** Made by the first `connect()`: clients that only subscribe never need it. */
  #waiters: { resolve: () => void; reject: (error: unknown) => void }[] | undefined;

  constructor(options: ConnectionOptions, host: ConnectionHost) {
    this.#options = options;
    this.#host = host;
    this.#alarm = new Alarm(options.timers);
    this.#alarm.add(this);
    // The connection is the host of both parts itself: host objects of arrow functions would cost
    // every idle client two more objects, six closures and their contexts.
    this.#liveness = new Liveness(this.#alarm, options.interval, options.tolerance, this);
    this.#renewal = new TokenRenewal(options.auth, this.#alarm, this);
  }

  /** The alarm: waiting out a backoff. */
  get wakeAt(): number {
    return this.#retryAt;
  }
  wake(): void {
    this.#retryAt = Number.POSITIVE_INFINITY;
    this.start();
  }

  // ---- what liveness and token renewal ask of the connection -----------------------------------

  get log(): LogFn {
    return this.#options.log;
  }

  /** Liveness: the link is dead. */
  dead(reason: string): void {
    this.drop(CLIENT_CLOSE, reason);
  }

  /** Liveness: a ping's round trip, ms. */
  roundTrip(ms: number): void {
    this.#options.counters.roundTripTime = ms;
  }

  /** Token renewal: identifies the authenticated socket, -1 when none. */
  epoch(): number {
    return this.#authenticated ? this.#generation : -1;
  }

  /** Token renewal: a renewal failed. */
  error(error: unknown): void {
    this.#host.error(error);
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get authenticated(): boolean {
    return this.#authenticated;
  }

  /** The error that stopped the client, if one did. */
  get fatal(): unknown {
    return this.#fatal;
  }

  /** Resolves once authenticated (opening the socket if needed). */
  connect(): Promise<void> {
    if (this.#authenticated) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => {
      this.#waiters ??= [];
      this.#waiters.push({ resolve, reject });
    });
    this.start();
    return promise;
  }

  /** Opens a socket unless one is open, opening, waiting to retry, or paused. */
  start(): void {
    if (this.#disposed || this.#fatal !== undefined) return;
    if (this.#ws !== undefined || this.#opening || this.#retryAt !== Number.POSITIVE_INFINITY || this.#paused)
      return;
    void this.#open();
  }

  send(frame: Record<string, unknown>): boolean {
    const ws = this.#ws;
    if (ws === undefined || ws.readyState !== OPEN) return false;
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch (error) {
      this.#options.log('warn', 'Sending a frame failed', { type: frame.type, message: String(error) });
      return false;
    }
  }

  /** Ends the current socket on our side and reacts as to a close (reconnecting, unless paused). */
  drop(code: number, reason: string): void {
    if (this.#ws === undefined) return;
    this.#abandonSocket(code, reason);
    this.#socketGone(code, reason);
  }

  /** Closes the socket and stays away until `resume()` (consumers are catching up). False without a socket. */
  pause(): boolean {
    if (this.#ws === undefined || this.#paused) return false;
    this.#paused = true;
    this.drop(CLIENT_CLOSE, 'client catching up');
    return true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.start();
  }

  /** Stops for good: the socket closes, timers stop, waiters reject with `error`. */
  dispose(error: unknown): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#generation += 1;
    this.#abandonSocket(1000, 'client disposed');
    this.#authenticated = false;
    this.#retryAt = Number.POSITIVE_INFINITY;
    this.#liveness.stop();
    this.#renewal.dispose();
    this.#settleWaiters({ error });
    this.#setState('closed');
  }

  // ---- opening, socket events and frames ----------------------------------------------------

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    this.#opening = true;
    if (this.#state !== 'reconnecting') this.#setState(this.#everOpened ? 'reconnecting' : 'connecting');
    try {
      // Kept by the renewal part: the auth frame and a later 4401 both refer to it.
      await this.#renewal.socketToken(this.#refusal);
    } catch (error) {
      if (generation !== this.#generation || this.#disposed) return;
      this.#opening = false;
      if (isFatal(error)) {
        this.#fail(error);
        return;
      }
      this.#options.log('warn', 'Getting a token failed; retrying', { message: String(error) });
      this.#host.error(error);
      this.#scheduleRetry(undefined);
      return;
    }
    if (generation !== this.#generation || this.#disposed) return;
    this.#opening = false;
    let ws: WebSocketLike;
    try {
      ws = new this.#options.WebSocket(this.#options.url);
    } catch (error) {
      this.#fail(error);
      return;
    }
    for (const type of SOCKET_EVENTS) ws.addEventListener(type, this.#onSocketEvent);
    this.#ws = ws;
    this.#refusal = undefined;
    this.#liveness.attached();
  }

  #socketEvent(event: object): void {
    switch ((event as { type?: unknown }).type) {
      case 'message':
        this.#onMessage(event as MessageEventLike);
        return;
      case 'open':
        this.#liveness.frame();
        this.send({ type: 'auth', token: this.#renewal.token });
        return;
      case 'close': {
        const { code, reason } = event as CloseEventLike;
        this.#detach();
        this.#socketGone(typeof code === 'number' ? code : 1006, reason ?? '');
        return;
      }
      default:
        // `error` is always followed by `close` (WHATWG): reconnecting from both would leave two sockets.
        this.#options.log('debug', 'websocket error; waiting for close');
    }
  }

  #onMessage(event: MessageEventLike): void {
    this.#liveness.frame();
    const message = parseFrame(event.data, this.#options.log);
    if (message === undefined) return;
    const type = message.type;
    if (type === 'event') {
      this.#lastFrame.hold(event, message);
      this.#host.event(message);
      return;
    }
    switch (type) {
      case 'auth':
      case 'authresponse':
        this.#onAuth(message);
        return;
      case 'subscribed':
      case 'unsubscribed':
        this.#host.frame(message);
        return;
      case 'reauth':
        this.#renewal.result(message);
        return;
      case 'token_expiring':
        this.#renewal.expiring(message);
        return;
      case 'pong':
        this.#liveness.pong(message.id);
        return;
      case 'error':
        this.#onErrorFrame(message);
        return;
      default:
        // A message type this version does not know: ignore it, never crash (forward compatibility).
        this.#options.log('debug', 'Ignoring an unknown message type', { type: String(type).slice(0, 64) });
    }
  }

  #onAuth(message: Record<string, unknown>): void {
    if (message.success !== true) {
      this.#refusal = authRefusal(message);
      return; // the close (4401/4403) follows and decides
    }
    const expiresOn = authExpiry(message.payload);
    this.#authenticated = true;
    this.#openedAt = this.#options.timers.now();
    const counters = this.#options.counters;
    counters.connects += 1;
    if (this.#everOpened) counters.reconnects += 1;
    this.#everOpened = true;
    this.#renewal.accepted(Number.isFinite(expiresOn) ? expiresOn : undefined);
    this.#liveness.authenticated();
    this.#setState('open');
    this.#settleWaiters(undefined);
    this.#host.opened();
  }

  #onErrorFrame(message: Record<string, unknown>): void {
    const { id, code, text } = errorFrameFields(message);
    if (id !== undefined && this.#host.requestFailed(id, code, text)) return;
    this.#options.log('warn', 'Server error frame', { code, message: text });
    // The server explains a close it is about to make in an error frame first: keep it for the
    // close to report, once and with the right type, rather than reporting twice.
    if (isCloseBound(code)) this.#refusal ??= { code, message: text };
    else this.#host.error(new CallwireError({ code, message: text }));
  }

  // ---- closing ---------------------------------------------------------------------------------

  /** Stops listening to the current socket and closes it; the caller decides what comes next. */
  #abandonSocket(code: number, reason: string): void {
    const ws = this.#ws;
    if (ws === undefined) return;
    this.#detach();
    try {
      ws.close(code, reason);
    } catch {
      // Already closing; nothing to do.
    }
  }

  #detach(): void {
    const ws = this.#ws;
    this.#ws = undefined;
    this.#lastFrame.release();
    if (ws !== undefined) for (const type of SOCKET_EVENTS) ws.removeEventListener(type, this.#onSocketEvent);
  }

  /** The close-code policy: what each way of losing the socket leads to. */
  #socketGone(code: number, reason: string): void {
    const wasAuthenticated = this.#authenticated;
    this.#authenticated = false;
    this.#liveness.stop();
    this.#renewal.socketGone();
    this.#host.closed();
    if (this.#disposed || this.#fatal !== undefined) return;
    const { backoff, log, timers } = this.#options;
    if (wasAuthenticated && timers.now() - this.#openedAt >= backoff.stableAfter) backoff.reset();
    log('debug', 'websocket closed', { code, reason });
    const refusal = this.#refusal;
    if (code === WS_CLOSE.forbidden) {
      this.#fail(forbiddenError(refusal?.code, refusal?.message ?? (reason || undefined)));
      return;
    }
    if (code === WS_CLOSE.unauthenticated) {
      // Refresh once and reconnect at once; a second 4401 in a row is final.
      if (this.#renewal.refused()) this.#scheduleRetry(code, 0);
      else this.#fail(unauthenticatedError(refusal?.code, refusal?.message ?? (reason || undefined)));
      return;
    }
    if (code === WS_CLOSE.badMessage) {
      // The server did not understand us: a bug worth reporting, then try again like any drop.
      this.#host.error(badMessageError(refusal, reason));
    }
    if (this.#paused) {
      this.#setState('reconnecting', { code });
      return;
    }
    this.#scheduleRetry(code, undefined);
  }

  #scheduleRetry(code: number | undefined, delay?: number): void {
    // 4429: the server has too many of our connections; start further out.
    const wait = delay ?? this.#options.backoff.next(code === WS_CLOSE.tooMany ? 5_000 : 0);
    this.#setState('reconnecting', { ...(code === undefined ? {} : { code }), delay: wait });
    this.#retryAt = this.#alarm.now() + wait;
    this.#alarm.update();
  }

  #fail(error: unknown): void {
    if (this.#fatal !== undefined || this.#disposed) return;
    this.#fatal = error;
    this.#generation += 1;
    this.#opening = false;
    this.#abandonSocket(1000, 'fatal error');
    this.#authenticated = false;
    this.#retryAt = Number.POSITIVE_INFINITY;
    this.#liveness.stop();
    this.#renewal.socketGone();
    this.#options.log('error', 'Realtime client stopped', {
      code: isCallwireError(error) ? error.code : undefined,
      message: error instanceof Error ? error.message : String(error),
    });
    this.#host.failed(error);
    this.#settleWaiters({ error });
    this.#host.error(error);
    this.#setState('closed', { error });
  }

  /** Settles every `connect()`: resolved once authenticated, else rejected with why the client stopped. */
  #settleWaiters(stopped: { error: unknown } | undefined): void {
    const waiters = this.#waiters;
    this.#waiters = undefined;
    if (waiters === undefined) return;
    for (const waiter of waiters) stopped === undefined ? waiter.resolve() : waiter.reject(stopped.error);
  }

  #setState(state: ConnectionState, extra: Omit<StateChange, 'state' | 'previous'> = {}): void {
    const previous = this.#state;
    if (previous === 'closed' || (previous === state && state !== 'reconnecting')) return;
    this.#state = state;
    this.#host.state({ state, previous, ...extra });
  }
}
