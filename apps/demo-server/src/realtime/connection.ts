import { randomUUID } from 'node:crypto';
import {
  WS_CLOSE,
  WsAuthMessageSchema,
  WsAuthRequestMessageSchema,
  WsPingMessageSchema,
  WsReauthMessageSchema,
} from '@callwire/types';
import type { RawData, WebSocket } from 'ws';
import type { EventBus } from '../events/event-bus.js';
import type { FrameSink } from './client-subscription.js';
import { ConnectionSubscriptions } from './connection-subscriptions.js';
import { FrameOutput, type FrameStream } from './frame-output.js';
import {
  decodeFrame,
  describeIssues,
  errorFrame,
  isWsAuthError,
  type Json,
  looksLikeBasic,
} from './frames.js';
import { type LongTimer, setLongTimer } from './long-timer.js';
import { MessageRate } from './message-rate.js';
import {
  expiryWarning,
  type RealtimeLimits,
  type RealtimePorts,
  type RestWssSubscription,
  type WsIdentity,
} from './ports.js';

/** What a connection needs from the hub that owns every connection. */
export interface ConnectionHost {
  readonly ports: RealtimePorts;
  readonly limits: RealtimeLimits;
  readonly bus: EventBus;
  /** Registers an authenticated connection under its user; false when the user has too many. */
  admit(connection: RealtimeConnection): boolean;
  /** Called when the identity changed (reauth): the credential id moves. */
  rebind(connection: RealtimeConnection, previous: WsIdentity): void;
  forget(connection: RealtimeConnection): void;
}

type State = 'auth' | 'open' | 'closed';

/**
 * One websocket on `/ws`: first-message auth (three dialects), then
 * subscribe / unsubscribe / reauth / ping. Frames are handled one after another (a promise chain),
 * so replies keep the order of requests; a long replay continues in the background after its
 * `subscribed` frame so that it never holds up the next request.
 */
export class RealtimeConnection implements FrameSink {
  readonly uuid = randomUUID();
  readonly ip: string;
  /** Epoch ms of the last frame (message, ping or pong) from the client. */
  lastSeen: number;
  /** Epoch ms of the last server ping. */
  lastPing: number;
  readonly #socket: WebSocket;
  readonly #out: FrameOutput;
  readonly #host: ConnectionHost;
  #state: State = 'auth';
  #identity: WsIdentity | undefined;
  readonly #subs: ConnectionSubscriptions;
  #queue: Promise<void> = Promise.resolve();
  readonly #rate: MessageRate;
  #authTimer: NodeJS.Timeout | undefined;
  #expiringTimer: LongTimer | undefined;
  #expiryTimer: LongTimer | undefined;

  constructor(socket: WebSocket, stream: FrameStream, ip: string, host: ConnectionHost) {
    this.#socket = socket;
    // A client that does not read would make the server buffer without bound: let it go instead
    // (it resumes with after_seq, losing nothing).
    this.#out = new FrameOutput({
      socket,
      stream,
      maxBufferedBytes: host.limits.maxBufferedBytes,
      isOpen: () => this.open,
      tooSlow: () => this.close(WS_CLOSE.tooMany, 'too slow: events backed up; reconnect with after_seq'),
    });
    this.ip = ip;
    this.#host = host;
    this.#subs = new ConnectionSubscriptions(host, {
      sink: this,
      identity: () => this.#identity,
      isOpen: () => this.#state === 'open',
      sendJson: (frame) => this.#sendJson(frame),
    });
    const now = Date.now();
    // The server clock, like every rate window: a test's manual clock makes the refill exact.
    this.#rate = new MessageRate(host.limits.messagesPerSecond, host.limits.messageBurst, () =>
      host.ports.now(),
    );
    this.lastSeen = now;
    this.lastPing = now;
    socket.on('message', this.#onMessage);
    socket.on('pong', this.#touch);
    socket.on('ping', this.#touch);
    socket.on('close', this.#onClose);
    this.#authTimer = setTimeout(() => {
      if (this.#state !== 'auth') return;
      this.#sendJson({
        type: 'auth',
        success: false,
        code: 'auth_timeout',
        message: `No auth message within ${host.limits.authTimeoutMs / 1000} s`,
      });
      this.close(WS_CLOSE.authTimeout, 'auth timeout');
    }, host.limits.authTimeoutMs);
    this.#authTimer.unref?.();
  }

  get identity(): WsIdentity | undefined {
    return this.#identity;
  }

  get state(): State {
    return this.#state;
  }

  get open(): boolean {
    return this.#state !== 'closed' && this.#socket.readyState === this.#socket.OPEN;
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  get subscriptionCount(): number {
    return this.#subs.size;
  }

  send(frame: string): void {
    this.#out.send(frame);
  }

  together(sends: () => void): void {
    this.#out.together(sends);
  }

  drained(): Promise<void> {
    return this.#out.drained();
  }

  ping(now: number): void {
    this.lastPing = now;
    if (this.open) this.#socket.ping();
  }

  /** Stops every subscription (no more events), keeps the socket. */
  quiesce(): void {
    this.#subs.quiesce();
  }

  close(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.#teardown();
    // Close reasons are limited to 123 bytes.
    this.#socket.close(code, reason.slice(0, 120));
  }

  terminate(): void {
    this.#teardown();
    this.#socket.terminate();
  }

  /** Ends the TCP connection if the close handshake has not finished (shutdown). */
  terminateSocket(): void {
    if (this.#socket.readyState !== this.#socket.CLOSED) this.#socket.terminate();
  }

  /** Resolves when the socket is closed. */
  closedPromise(): Promise<void> {
    if (this.#socket.readyState === this.#socket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.#socket.once('close', () => resolve()));
  }

  /**
   * Refuses a misbehaving client (a frame over the limits, a flood): the error frame and the close,
   * and a throttled warning without stack, because anyone can cause it.
   */
  refuse(code: number, errorCode: string, message: string): void {
    if (this.#state === 'closed') return;
    this.#host.ports.logRefusal(
      { connection: this.uuid, ip: this.ip, code: errorCode, authenticated: this.#identity !== undefined },
      `websocket refused: ${message}`,
    );
    this.fail(code, errorCode, message);
  }

  /** A frame over `ws`'s own limit (see frame-guard.ts): answered like any oversized message. */
  refuseOversized(): void {
    const max = this.#host.limits.maxMessageBytes;
    this.refuse(WS_CLOSE.badMessage, 'payload_too_large', `A message may be at most ${max} bytes`);
  }

  /** Sends an error frame, then closes with `code`. */
  fail(code: number, errorCode: string, message: string): void {
    if (this.#state === 'closed') return;
    this.#sendJson({ type: 'error', code: errorCode, message });
    this.close(code, message);
  }

  /** Adds, replaces or removes (types undefined) a REST-made `wss` subscription on this socket. */
  applyRestSubscription(uuid: string, subscription: RestWssSubscription | undefined): void {
    this.#subs.applyRest(uuid, subscription);
  }

  /**
   * The user changed (api_access, status, memberships): verify the token again, then drop what the
   * user may no longer read. Queued behind the frames being handled, so it never races a reauth.
   */
  refreshIdentity(): Promise<void> {
    const run = async (): Promise<void> => {
      const identity = this.#identity;
      const token = identity?.principal.token;
      if (identity === undefined || token === undefined || this.#state !== 'open') return;
      let next: WsIdentity;
      try {
        next = await this.#host.ports.authenticate(token);
      } catch (error) {
        if (!isWsAuthError(error)) throw error;
        this.fail(
          error.status === 403 ? WS_CLOSE.forbidden : WS_CLOSE.unauthenticated,
          error.code,
          error.message,
        );
        return;
      }
      if (this.#state !== 'open' || this.#identity !== identity) return;
      this.#identity = next;
      await this.recheckAccess();
    };
    const done = this.#queue.then(run);
    this.#queue = done.catch((error: unknown) =>
      this.#host.ports.logError(error, 'websocket refresh failed'),
    );
    return this.#queue;
  }

  /** Drops subscriptions on accounts the user may no longer read (membership removed). */
  recheckAccess(): Promise<void> {
    return this.#subs.recheckAccess();
  }

  // ---- incoming frames -----------------------------------------------------------------------

  readonly #touch = (): void => {
    this.lastSeen = Date.now();
  };

  readonly #onMessage = (data: RawData, isBinary: boolean): void => {
    this.lastSeen = Date.now();
    if (this.#state === 'closed') return;
    if (!this.#rate.take()) {
      const { messagesPerSecond, messageBurst } = this.#host.limits;
      this.refuse(
        WS_CLOSE.tooMany,
        'rate_limited',
        `More than ${messageBurst} messages at once or ${messagesPerSecond} a second: back off, then reconnect`,
      );
      return;
    }
    const frame = decodeFrame(data, isBinary, this.#host.limits.maxMessageBytes);
    if (!frame.ok) {
      // Oversized frames are logged (anyone can send them); malformed ones only answered.
      if (frame.code === 'payload_too_large') this.refuse(WS_CLOSE.badMessage, frame.code, frame.text);
      else this.fail(WS_CLOSE.badMessage, frame.code, frame.text);
      return;
    }
    const { type, message: json } = frame;
    this.#queue = this.#queue
      .then(() => this.#handle(type, json))
      .catch((error: unknown) => {
        this.#host.ports.logError(error, 'websocket message failed');
        this.#sendJson(errorFrame(json, 'internal', 'Internal error'));
      });
  };

  async #handle(type: string, message: Json): Promise<void> {
    if (this.#state === 'closed') return;
    if (this.#state === 'auth') {
      if (type === 'auth' || type === 'authrequest') return this.#authenticate(type, message);
      this.fail(WS_CLOSE.unauthenticated, 'unauthenticated', 'The first message must be auth');
      return;
    }
    switch (type) {
      case 'auth':
      case 'authrequest':
        this.#error(message, 'invalid_request', 'Already authenticated; use reauth to change the token');
        return;
      case 'subscribe':
        return this.#subs.subscribe(message);
      case 'unsubscribe':
        return this.#subs.unsubscribe(message);
      case 'reauth':
        return this.#reauth(message);
      case 'ping': {
        const parsed = WsPingMessageSchema.safeParse(message);
        if (!parsed.success) return this.#error(message, 'validation_failed', describeIssues(parsed.error));
        this.#sendJson({ type: 'pong', ...(parsed.data.id === undefined ? {} : { id: parsed.data.id }) });
        return;
      }
    }
  }

  // ---- auth ----------------------------------------------------------------------------------

  async #authenticate(type: 'auth' | 'authrequest', message: Json): Promise<void> {
    clearTimeout(this.#authTimer);
    const reply = type === 'authrequest' ? 'authresponse' : 'auth';
    const refuse = (closeCode: number, code: string, text: string): void => {
      this.#sendJson({ type: reply, success: false, code, message: text });
      this.close(closeCode, text);
    };
    if (looksLikeBasic(message)) {
      refuse(
        WS_CLOSE.unauthenticated,
        'invalid_request',
        'The websocket takes a session or API token only, never a username and password: ' +
          'get a token from POST /rest/auth/login and send {"type":"auth","token":"…"}',
      );
      return;
    }
    const parsed =
      type === 'auth'
        ? WsAuthMessageSchema.safeParse(message)
        : WsAuthRequestMessageSchema.safeParse(message);
    if (!parsed.success) {
      refuse(WS_CLOSE.unauthenticated, 'invalid_request', describeIssues(parsed.error));
      return;
    }
    const data = parsed.data as { token?: string; payload?: string };
    const token = (data.token ?? data.payload) as string;
    let identity: WsIdentity;
    try {
      identity = await this.#host.ports.authenticate(token);
    } catch (error) {
      if (!isWsAuthError(error)) throw error;
      refuse(error.status === 403 ? WS_CLOSE.forbidden : WS_CLOSE.unauthenticated, error.code, error.message);
      return;
    }
    if (this.#state !== 'auth') return; // closed while verifying
    if (identity.expiresOn <= this.#host.ports.now()) {
      refuse(WS_CLOSE.unauthenticated, 'token_expired', 'The token has expired; refresh it and reconnect');
      return;
    }
    this.#identity = identity;
    if (!this.#host.admit(this)) {
      this.#identity = undefined;
      const max = this.#host.limits.maxConnectionsPerUser;
      refuse(WS_CLOSE.tooMany, 'too_many_connections', `At most ${max} connections per user; back off`);
      return;
    }
    this.#state = 'open';
    this.#sendJson({
      type: reply,
      success: true,
      payload: {
        connection: { uuid: this.uuid, ip: this.ip },
        user: identity.user,
        account: identity.account,
        expires_on: new Date(identity.expiresOn).toISOString(),
      },
    });
    this.#scheduleExpiry();
    const rest = await this.#host.ports.restSubscriptions(identity.userId);
    for (const sub of rest) if (this.#subs.isMember(sub.accountId)) this.#subs.applyRest(sub.uuid, sub);
  }

  async #reauth(message: Json): Promise<void> {
    const parsed = WsReauthMessageSchema.safeParse(message);
    if (!parsed.success) return this.#error(message, 'validation_failed', describeIssues(parsed.error));
    const previous = this.#identity!;
    let identity: WsIdentity;
    try {
      identity = await this.#host.ports.authenticate(parsed.data.token);
    } catch (error) {
      if (!isWsAuthError(error)) throw error;
      this.#sendJson({ type: 'reauth', success: false, code: error.code, message: error.message });
      return;
    }
    if (this.#state !== 'open') return;
    if (identity.userId !== previous.userId) {
      this.#sendJson({
        type: 'reauth',
        success: false,
        code: 'forbidden',
        message: 'The token belongs to another user; open a new connection for them',
      });
      return;
    }
    if (identity.expiresOn <= this.#host.ports.now()) {
      this.#sendJson({
        type: 'reauth',
        success: false,
        code: 'token_expired',
        message: 'The token has expired',
      });
      return;
    }
    this.#identity = identity;
    this.#host.rebind(this, previous);
    this.#scheduleExpiry();
    this.#sendJson({ type: 'reauth', success: true, expires_on: new Date(identity.expiresOn).toISOString() });
  }

  #scheduleExpiry(): void {
    this.#expiringTimer?.cancel();
    this.#expiryTimer?.cancel();
    const identity = this.#identity!;
    const now = () => this.#host.ports.now();
    const expiresOn = new Date(identity.expiresOn).toISOString();
    const lifetime = identity.lifetimeMs ?? identity.expiresOn - now();
    const warnAt = identity.expiresOn - expiryWarning(lifetime, this.#host.limits.expiryWarningMs);
    this.#expiringTimer = setLongTimer(warnAt, now, () => {
      if (this.#state === 'open') this.#sendJson({ type: 'token_expiring', expires_on: expiresOn });
    });
    this.#expiryTimer = setLongTimer(identity.expiresOn, now, () => {
      this.fail(WS_CLOSE.unauthenticated, 'token_expired', 'The token has expired; refresh it and reconnect');
    });
  }

  // ---- subscriptions -------------------------------------------------------------------------

  // ---- helpers -------------------------------------------------------------------------------

  #error(message: Json, code: string, text: string): void {
    this.#sendJson(errorFrame(message, code, text));
  }

  #sendJson(frame: Json): void {
    if (this.open) this.#socket.send(JSON.stringify(frame));
  }

  readonly #onClose = (): void => {
    this.#teardown();
  };

  #teardown(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#authTimer);
    this.#expiringTimer?.cancel();
    this.#expiryTimer?.cancel();
    this.#subs.clear();
    this.#host.forget(this);
  }
}
