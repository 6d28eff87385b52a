import { randomUUID } from 'node:crypto';
import {
  WS_CLOSE,
  WsAuthMessageSchema,
  WsAuthRequestMessageSchema,
  WsPingMessageSchema,
  WsReauthMessageSchema,
  WsSubscribeMessageSchema,
  WsUnsubscribeMessageSchema,
} from '@callwire/types';
import type { RawData, WebSocket } from 'ws';
import type { z } from 'zod';
import type { EventBus } from '../events/event-bus.js';
import { ClientSubscription, type FrameSink } from './client-subscription.js';
import { type LongTimer, setLongTimer } from './long-timer.js';
import { MessageRate } from './message-rate.js';
import {
  expiryWarning,
  type RealtimeLimits,
  type RealtimePorts,
  type RestWssSubscription,
  type WsAuthError,
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
type Json = Record<string, unknown>;

/** Above this many buffered bytes a replay waits for the socket to drain. */
const HIGH_WATER = 1024 * 1024;
const KNOWN_TYPES = new Set(['auth', 'authrequest', 'subscribe', 'unsubscribe', 'reauth', 'ping']);

function isWsAuthError(value: unknown): value is WsAuthError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function describeIssues(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid message';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
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
  readonly #host: ConnectionHost;
  #state: State = 'auth';
  #identity: WsIdentity | undefined;
  readonly #subscriptions = new Map<string, ClientSubscription>();
  readonly #restSubscriptions = new Map<string, ClientSubscription>();
  readonly #restExpiry = new Map<string, LongTimer>();
  #queue: Promise<void> = Promise.resolve();
  readonly #rate: MessageRate;
  #authTimer: NodeJS.Timeout | undefined;
  #expiringTimer: LongTimer | undefined;
  #expiryTimer: LongTimer | undefined;

  constructor(socket: WebSocket, ip: string, host: ConnectionHost) {
    this.#socket = socket;
    this.ip = ip;
    this.#host = host;
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
    return this.#subscriptions.size;
  }

  send(frame: string): void {
    // A client that does not read would make the server buffer without bound: let it go instead
    // (it resumes with after_seq, losing nothing).
    if (this.#socket.bufferedAmount > this.#host.limits.maxBufferedBytes) {
      this.close(WS_CLOSE.tooMany, 'too slow: events backed up; reconnect with after_seq');
      return;
    }
    this.#socket.send(frame);
  }

  async drained(): Promise<void> {
    while (this.open && this.#socket.bufferedAmount > HIGH_WATER) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  ping(now: number): void {
    this.lastPing = now;
    if (this.open) this.#socket.ping();
  }

  /** Stops every subscription (no more events), keeps the socket. */
  quiesce(): void {
    for (const sub of this.#subscriptions.values()) sub.close();
    for (const sub of this.#restSubscriptions.values()) sub.close();
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
    if (this.#state !== 'open') return;
    this.#restSubscriptions.get(uuid)?.close();
    this.#restSubscriptions.delete(uuid);
    this.#restExpiry.get(uuid)?.cancel();
    this.#restExpiry.delete(uuid);
    if (subscription === undefined || !this.#isMember(subscription.accountId)) return;
    if (subscription.expiresOn !== null) {
      if (subscription.expiresOn <= this.#host.ports.now()) return;
      const timer = setLongTimer(
        subscription.expiresOn,
        () => this.#host.ports.now(),
        () => this.applyRestSubscription(uuid, undefined),
      );
      this.#restExpiry.set(uuid, timer);
    }
    const sub = new ClientSubscription({
      uuid,
      accountId: subscription.accountId,
      patterns: subscription.types,
      sink: this,
      rest: true,
    });
    this.#restSubscriptions.set(uuid, sub);
    sub.startLive(this.#host.bus);
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
  async recheckAccess(): Promise<void> {
    const identity = this.#identity;
    if (identity === undefined || this.#state !== 'open') return;
    for (const sub of this.#subscriptions.values()) {
      if (await this.#host.ports.mayActOn(identity, sub.accountId)) continue;
      sub.close();
      this.#subscriptions.delete(sub.uuid);
      this.#sendJson({ type: 'unsubscribed', subscription: sub.uuid });
    }
    for (const sub of this.#restSubscriptions.values()) {
      if (this.#isMember(sub.accountId)) continue;
      this.applyRestSubscription(sub.uuid, undefined);
      this.#sendJson({ type: 'unsubscribed', subscription: sub.uuid });
    }
  }

  /**
   * REST-made subscriptions apply to every socket of their user, whichever account the socket's
   * token is bound to (the user chose to receive them); membership is what they still need.
   */
  #isMember(accountId: string): boolean {
    return this.#identity?.principal.memberships.some((m) => m.accountId === accountId) ?? false;
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
    if (isBinary) {
      this.fail(WS_CLOSE.badMessage, 'bad_message', 'Frames are JSON text; binary frames are refused');
      return;
    }
    const max = this.#host.limits.maxMessageBytes;
    if (byteLength(data) > max) {
      this.refuse(WS_CLOSE.badMessage, 'payload_too_large', `A message may be at most ${max} bytes`);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(toText(data));
    } catch {
      this.fail(WS_CLOSE.badMessage, 'bad_message', 'The frame is not valid JSON');
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.fail(WS_CLOSE.badMessage, 'bad_message', 'A message is a JSON object with a type');
      return;
    }
    const type = (message as Json).type;
    if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
      this.fail(
        WS_CLOSE.badMessage,
        'bad_message',
        `Unknown message type; expected one of ${[...KNOWN_TYPES].join(', ')}`,
      );
      return;
    }
    const json = message as Json;
    this.#queue = this.#queue
      .then(() => this.#handle(type, json))
      .catch((error: unknown) => {
        this.#host.ports.logError(error, 'websocket message failed');
        this.#sendJson({ type: 'error', ...this.#idOf(json), code: 'internal', message: 'Internal error' });
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
        return this.#subscribe(message);
      case 'unsubscribe':
        return this.#unsubscribe(message);
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
    for (const sub of rest) if (this.#isMember(sub.accountId)) this.applyRestSubscription(sub.uuid, sub);
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

  async #subscribe(message: Json): Promise<void> {
    const parsed = WsSubscribeMessageSchema.safeParse(message);
    if (!parsed.success) return this.#error(message, 'validation_failed', describeIssues(parsed.error));
    const request = parsed.data;
    const { limits, ports, bus } = this.#host;
    if (this.#subscriptions.size >= limits.maxSubscriptionsPerConnection) {
      return this.#error(
        message,
        'too_many_subscriptions',
        `At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection; unsubscribe first`,
      );
    }
    const identity = this.#identity!;
    const accountId = request.account_id ?? identity.accountId;
    // Membership is checked for the token's own account too: it may have been removed since login.
    if (!(await ports.mayActOn(identity, accountId))) {
      return this.#error(message, 'account_forbidden', 'You may not read events of that account');
    }
    if (this.#state !== 'open') return;
    const sub = new ClientSubscription({
      uuid: randomUUID(),
      accountId,
      patterns: request.types,
      sink: this,
    });
    this.#subscriptions.set(sub.uuid, sub);
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    const started = sub
      .start({
        bus,
        reader: ports.backlog,
        afterSeq: request.after_seq,
        maxReplay: limits.maxReplay,
        ready: (result) => {
          this.#sendJson({
            type: 'subscribed',
            id: request.id,
            subscription: sub.uuid,
            account_id: accountId,
            last_seq: result.lastSeq,
            recovered: result.recovered,
          });
          onReady();
        },
      })
      .catch((error: unknown) => {
        ports.logError(error, 'websocket subscription failed');
        sub.close();
        this.#subscriptions.delete(sub.uuid);
        if (this.#state === 'open') {
          this.#sendJson({ type: 'error', id: request.id, code: 'internal', message: 'Subscription failed' });
          this.#sendJson({ type: 'unsubscribed', subscription: sub.uuid });
        }
      });
    // Hold the next request until `subscribed` went out (or the start failed), not for the replay.
    await Promise.race([ready, started]);
  }

  async #unsubscribe(message: Json): Promise<void> {
    const parsed = WsUnsubscribeMessageSchema.safeParse(message);
    if (!parsed.success) return this.#error(message, 'validation_failed', describeIssues(parsed.error));
    const { id, subscription } = parsed.data;
    const sub = this.#subscriptions.get(subscription);
    if (sub === undefined) {
      if (this.#restSubscriptions.has(subscription)) {
        return this.#error(
          message,
          'conflict',
          'That subscription was made over REST; change it with /rest/event/subscription',
        );
      }
      return this.#error(message, 'not_found', 'No such subscription on this connection');
    }
    sub.close();
    this.#subscriptions.delete(subscription);
    this.#sendJson({ type: 'unsubscribed', ...(id === undefined ? {} : { id }), subscription });
  }

  // ---- helpers -------------------------------------------------------------------------------

  #idOf(message: Json): { id?: string } {
    const id = message.id;
    return typeof id === 'string' && id.length > 0 && id.length <= 64 ? { id } : {};
  }

  #error(message: Json, code: string, text: string): void {
    this.#sendJson({ type: 'error', ...this.#idOf(message), code, message: text });
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
    for (const timer of this.#restExpiry.values()) timer.cancel();
    this.#restExpiry.clear();
    this.quiesce();
    this.#subscriptions.clear();
    this.#restSubscriptions.clear();
    this.#host.forget(this);
  }
}

/** Basic credentials sent where a token belongs: refused with a message that says what to do. */
function looksLikeBasic(message: Json): boolean {
  if ('username' in message || 'password' in message || 'email' in message) return true;
  for (const key of ['token', 'payload'] as const) {
    const value = message[key];
    if (typeof value === 'string' && (/^basic\s/i.test(value) || value.includes(':'))) return true;
  }
  return false;
}
