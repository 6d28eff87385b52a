import { WS_CLOSE } from '@callwire/types';
import type { WebSocket } from 'ws';
import type { EventBus } from '../events/event-bus.js';
import { type ConnectionHost, RealtimeConnection } from './connection.js';
import type { FrameStream } from './frame-output.js';
import type { RealtimeLimits, RealtimePorts, RestWssSubscription, WsIdentity } from './ports.js';

/**
 * Every websocket of this server instance: per-user limits, the heartbeat, revocation (close the
 * sockets a token opened), REST-made subscriptions (apply to every socket of their user) and the
 * graceful shutdown. One sweep timer serves every connection's heartbeat.
 */
export class ConnectionHub implements ConnectionHost {
  readonly ports: RealtimePorts;
  readonly limits: RealtimeLimits;
  readonly bus: EventBus;
  readonly #beforeShutdown: () => Promise<void>;
  readonly #presenceChanged: (userId: string, online: boolean) => void;
  readonly #all = new Set<RealtimeConnection>();
  readonly #byUser = new Map<string, Set<RealtimeConnection>>();
  readonly #byCredential = new Map<string, Set<RealtimeConnection>>();
  #sweep: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(options: {
    ports: RealtimePorts;
    limits: RealtimeLimits;
    bus: EventBus;
    /** Waits until events committed so far reached the bus (PostgreSQL notifications in flight). */
    beforeShutdown?: () => Promise<void>;
    /** A user's first socket on this instance was admitted (`online`), or their last one left. */
    presenceChanged?: (userId: string, online: boolean) => void;
  }) {
    this.ports = options.ports;
    this.#presenceChanged = options.presenceChanged ?? (() => {});
    this.#beforeShutdown = options.beforeShutdown ?? (async () => {});
    this.limits = options.limits;
    this.bus = options.bus;
    const { pingIntervalMs, idleTimeoutMs } = this.limits;
    const every = Math.max(10, Math.min(1000, pingIntervalMs / 5, idleTimeoutMs / 5));
    this.#sweep = setInterval(() => this.#heartbeat(), every);
    this.#sweep.unref?.();
  }

  get size(): number {
    return this.#all.size;
  }

  /**
   * Takes a freshly upgraded socket (and the TCP stream it runs on); it must authenticate within
   * the auth timeout.
   */
  accept(socket: WebSocket, stream: FrameStream, ip: string): RealtimeConnection | undefined {
    if (this.#closing) {
      socket.close(WS_CLOSE.goingAway, 'server shutting down');
      return undefined;
    }
    const connection = new RealtimeConnection(socket, stream, ip, this);
    this.#all.add(connection);
    return connection;
  }

  admit(connection: RealtimeConnection): boolean {
    const identity = connection.identity!;
    let mine = this.#byUser.get(identity.userId);
    if (mine === undefined) {
      mine = new Set();
      this.#byUser.set(identity.userId, mine);
    }
    if (mine.size >= this.limits.maxConnectionsPerUser) return false;
    mine.add(connection);
    addTo(this.#byCredential, identity.credentialId, connection);
    if (mine.size === 1) this.#presenceChanged(identity.userId, true);
    return true;
  }

  rebind(connection: RealtimeConnection, previous: WsIdentity): void {
    removeFrom(this.#byCredential, previous.credentialId, connection);
    addTo(this.#byCredential, connection.identity!.credentialId, connection);
  }

  forget(connection: RealtimeConnection): void {
    this.#all.delete(connection);
    const identity = connection.identity;
    if (identity === undefined) return;
    const mine = this.#byUser.get(identity.userId);
    if (mine?.has(connection) === true && mine.size === 1) this.#presenceChanged(identity.userId, false);
    removeFrom(this.#byUser, identity.userId, connection);
    removeFrom(this.#byCredential, identity.credentialId, connection);
  }

  /** A session or API token was revoked (logout, refresh reuse, DELETE /rest/token): 4401. */
  revokeCredential(credentialId: string): void {
    for (const connection of [...(this.#byCredential.get(credentialId) ?? [])]) {
      connection.fail(WS_CLOSE.unauthenticated, 'token_revoked', 'The token was revoked; log in again');
    }
  }

  /**
   * The user changed (password, api_access, status, memberships): each of their sockets verifies its
   * token again (4403 when API access is gone) and drops subscriptions on accounts it lost.
   */
  async refreshUser(userId: string): Promise<void> {
    await Promise.all([...(this.#byUser.get(userId) ?? [])].map((c) => c.refreshIdentity()));
  }

  /** A REST-made `wss` subscription was created, changed (undefined = removed or inactive). */
  applyRestSubscription(userId: string, uuid: string, subscription: RestWssSubscription | undefined): void {
    for (const connection of this.#byUser.get(userId) ?? [])
      connection.applyRestSubscription(uuid, subscription);
  }

  connectionsOf(userId: string): number {
    return this.#byUser.get(userId)?.size ?? 0;
  }

  /**
   * Graceful shutdown: stop sending events, let each socket flush what is queued (up to
   * `flushMs`), close with 1001, and terminate whatever has not finished the close handshake.
   */
  async shutdown(flushMs = 2000): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await this.#beforeShutdown().catch((error: unknown) => this.ports.logError(error, 'event flush failed'));
    clearInterval(this.#sweep);
    this.#sweep = undefined;
    const connections = [...this.#all];
    for (const c of connections) c.quiesce();
    const deadline = Date.now() + flushMs;
    while (Date.now() < deadline && connections.some((c) => c.open && c.bufferedAmount > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const closed = connections.map((c) => c.closedPromise());
    for (const c of connections) c.close(WS_CLOSE.goingAway, 'server shutting down');
    // The timer is cleared once every socket closed: left running it would keep the process (or a
    // test runner) alive for up to `flushMs` after the server is closed.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => {
        timer = setTimeout(resolve, flushMs);
      }),
    ]);
    clearTimeout(timer);
    for (const c of connections) c.terminateSocket();
  }

  #heartbeat(): void {
    const now = Date.now();
    const { idleTimeoutMs, pingIntervalMs } = this.limits;
    for (const connection of this.#all) {
      if (now - connection.lastSeen >= idleTimeoutMs) {
        // Silent for too long: the peer is gone or the path is dead; no close handshake to wait for.
        connection.terminate();
      } else if (now - connection.lastPing >= pingIntervalMs) {
        connection.ping(now);
      }
    }
  }
}

function addTo<K>(map: Map<K, Set<RealtimeConnection>>, key: K, connection: RealtimeConnection): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(connection);
}

function removeFrom<K>(map: Map<K, Set<RealtimeConnection>>, key: K, connection: RealtimeConnection): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(connection);
  if (set.size === 0) map.delete(key);
}
