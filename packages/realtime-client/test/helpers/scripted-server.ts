import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchesAnyEventPattern } from '@callwire/types';
import { type WebSocket, WebSocketServer } from 'ws';
import { AUTH_PAYLOAD, callEvent, type TestEvent } from './fixtures.js';

type Json = Record<string, unknown>;

export interface ScriptedConnection {
  socket: WebSocket;
  received: Json[];
  token: string | undefined;
  authed: boolean;
  subs: Map<string, { types: string[]; id: string }>;
  send(frame: Json): void;
}

/**
 * A tiny stand-in for the platform's `/ws` and `GET /rest/event`, scripted by each test: it can
 * drop sockets, close with a code, stay silent (no pongs), refuse tokens, forget history, and replay
 * with an overlap to provoke duplicates.
 */
export class ScriptedServer {
  url = '';
  baseUrl = '';
  readonly events: TestEvent[] = [];
  readonly connections: ScriptedConnection[] = [];
  readonly restRequests: { url: URL; authorization: string | null }[] = [];
  /** Events below this seq can no longer be replayed over the socket (recovered: false). */
  socketOldest = 1;
  /** Events below this seq are gone from REST as well. */
  restOldest = 1;
  /** Re-sends this many events at or before after_seq on a replay, to provoke duplicates. */
  replayOverlap = 0;
  answerPings = true;
  /** Replay in small steps instead of all at once (so a drop can land in the middle of it). */
  pacedReplay = false;
  /** Reply to auth frames at all (false: stay silent). */
  answerAuth = true;
  /** Tokens refused with 4401; tokens refused with 4403. */
  readonly expired = new Set<string>();
  readonly forbidden = new Set<string>();
  /** Tokens refused by REST only; and how many REST calls still fail with 503. */
  readonly restExpired = new Set<string>();
  restFailures = 0;
  /** Seconds from now put in `expires_on`. */
  expiresIn = 3600;
  #http!: Server;
  #wss!: WebSocketServer;
  #waiters: ((c: ScriptedConnection) => void)[] = [];

  static async start(): Promise<ScriptedServer> {
    const server = new ScriptedServer();
    await server.#listen();
    return server;
  }

  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  get open(): ScriptedConnection[] {
    return this.connections.filter((c) => c.socket.readyState === c.socket.OPEN);
  }

  /** Appends `count` events (or the given ones) and sends them to every live subscription. */
  publish(count = 1, make: (seq: number) => TestEvent = (seq) => callEvent(seq)): TestEvent[] {
    const added: TestEvent[] = [];
    for (let i = 0; i < count; i++) {
      const event = make(this.lastSeq + 1);
      this.events.push(event);
      added.push(event);
      for (const connection of this.open) {
        if (!connection.authed) continue;
        for (const [uuid, sub] of connection.subs) {
          if (matchesAnyEventPattern(event.type, sub.types))
            connection.send({ type: 'event', subscription: uuid, event });
        }
      }
    }
    return added;
  }

  nextConnection(): Promise<ScriptedConnection> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  dropAll(): void {
    for (const c of this.open) c.socket.terminate();
  }

  closeAll(code: number, reason = ''): void {
    for (const c of this.open) c.socket.close(code, reason);
  }

  frames(type: string): Json[] {
    return this.connections.flatMap((c) => c.received.filter((f) => f.type === type));
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  async #listen(): Promise<void> {
    this.#http = createServer((req, res) =>
      this.#rest(req.url ?? '/', req.headers.authorization ?? null, res),
    );
    this.#wss = new WebSocketServer({ server: this.#http, path: '/ws' });
    this.#wss.on('connection', (socket) => this.#connection(socket));
    await new Promise<void>((resolve) => this.#http.listen(0, '127.0.0.1', resolve));
    const { port } = this.#http.address() as AddressInfo;
    this.url = `ws://127.0.0.1:${port}/ws`;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  #connection(socket: WebSocket): void {
    const connection: ScriptedConnection = {
      socket,
      received: [],
      token: undefined,
      authed: false,
      subs: new Map(),
      send: (frame) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
      },
    };
    this.connections.push(connection);
    for (const waiter of this.#waiters.splice(0)) waiter(connection);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Json;
      connection.received.push(frame);
      this.#handle(connection, frame);
    });
  }

  #handle(c: ScriptedConnection, frame: Json): void {
    switch (frame.type) {
      case 'auth': {
        if (!this.answerAuth) return;
        const token = String(frame.token);
        c.token = token;
        if (this.forbidden.has(token)) {
          c.send({
            type: 'auth',
            success: false,
            code: 'api_access_disabled',
            message: 'API access is disabled',
          });
          c.socket.close(4403, 'forbidden');
          return;
        }
        if (this.expired.has(token)) {
          c.send({ type: 'auth', success: false, code: 'token_expired', message: 'The token has expired' });
          c.socket.close(4401, 'expired');
          return;
        }
        c.authed = true;
        const expiresOn = new Date(Date.now() + this.expiresIn * 1000).toISOString();
        c.send({ type: 'auth', success: true, payload: { ...AUTH_PAYLOAD, expires_on: expiresOn } });
        return;
      }
      case 'subscribe': {
        if (!c.authed) {
          c.socket.close(4401, 'The first message must be auth');
          return;
        }
        const uuid = randomUUID();
        const types = frame.types as string[];
        const afterSeq = frame.after_seq as number | undefined;
        const lastSeq = this.lastSeq;
        const recovered =
          afterSeq === undefined ||
          afterSeq === lastSeq ||
          (afterSeq < lastSeq && afterSeq + 1 >= this.socketOldest);
        c.send({
          type: 'subscribed',
          id: frame.id,
          subscription: uuid,
          account_id: (frame.account_id as string | undefined) ?? AUTH_PAYLOAD.account.uuid,
          last_seq: lastSeq,
          recovered,
        });
        if (afterSeq !== undefined && recovered) {
          const from = Math.max(0, afterSeq - this.replayOverlap);
          const backlog = this.events.filter((e) => e.seq > from && matchesAnyEventPattern(e.type, types));
          if (this.pacedReplay) {
            // 50 events per turn of the event loop, live only after the backlog: a replay a drop can cut.
            const step = (i: number) => {
              if (c.socket.readyState !== c.socket.OPEN) return;
              for (const event of backlog.slice(i, i + 50))
                c.send({ type: 'event', subscription: uuid, event });
              if (i + 50 < backlog.length) setTimeout(() => step(i + 50), 1);
              else c.subs.set(uuid, { types, id: String(frame.id) });
            };
            step(0);
            return;
          }
          for (const event of backlog) c.send({ type: 'event', subscription: uuid, event });
        }
        c.subs.set(uuid, { types, id: String(frame.id) });
        return;
      }
      case 'unsubscribe':
        c.subs.delete(String(frame.subscription));
        c.send({ type: 'unsubscribed', id: frame.id, subscription: frame.subscription });
        return;
      case 'reauth':
        c.token = String(frame.token);
        c.send({
          type: 'reauth',
          success: true,
          expires_on: new Date(Date.now() + this.expiresIn * 1000).toISOString(),
        });
        return;
      case 'ping':
        if (this.answerPings) c.send({ type: 'pong', id: frame.id });
        return;
    }
  }

  #rest(path: string, authorization: string | null, res: import('node:http').ServerResponse): void {
    const url = new URL(path, this.baseUrl);
    this.restRequests.push({ url, authorization });
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/rest/event') {
      reply(404, { success: false, status: 404, code: 'not_found', message: 'no', request_id: 'r' });
      return;
    }
    const token = authorization?.replace(/^Bearer /, '');
    if (this.restFailures > 0) {
      this.restFailures -= 1;
      reply(503, { success: false, status: 503, code: 'unavailable', message: 'try later', request_id: 'r' });
      return;
    }
    if (token === undefined || this.expired.has(token) || this.restExpired.has(token)) {
      reply(401, {
        success: false,
        status: 401,
        code: 'token_expired',
        message: 'expired',
        request_id: 'r',
      });
      return;
    }
    const afterSeq = Number(url.searchParams.get('after_seq') ?? 0);
    const take = Number(url.searchParams.get('take') ?? 100);
    const types = url.searchParams.get('types')?.split(',') ?? ['*'];
    const rows = this.events.filter(
      (e) => e.seq > afterSeq && e.seq >= this.restOldest && matchesAnyEventPattern(e.type, types),
    );
    const lastSeq = this.lastSeq;
    const oldest = this.events.find((e) => e.seq >= this.restOldest)?.seq ?? null;
    reply(200, {
      success: true,
      payload: {
        after_seq: afterSeq,
        take,
        last_seq: lastSeq,
        oldest_seq: oldest,
        recovered: afterSeq === lastSeq || (oldest !== null && afterSeq + 1 >= oldest),
        has_more: rows.length > take,
        data: rows.slice(0, take),
      },
    });
  }
}

/** Polls until `check` holds (real time; the work happens on sockets). */
export async function until(check: () => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
