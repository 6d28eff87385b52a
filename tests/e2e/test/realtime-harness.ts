import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { createSessionAuth, type SessionAuth } from '@callwire/auth-core';
import {
  DEMO_ACCOUNTS,
  type RunningServer,
  type StartServerOptions,
  startServer,
} from '@callwire/demo-server';

export const ACME = DEMO_ACCOUNTS.acme.uuid;
export const ALICE = { username: 'alice@example.com', password: 'alice-pass-1' };
export const BOB = { username: 'bob@example.com', password: 'bob-pass-1' };
export const DAVE = { username: 'dave@example.com', password: 'dave-pass-1' };

export interface RealtimeServer extends RunningServer {
  wsUrl: string;
  /**
   * Destroys every upgraded (websocket) TCP connection: a drop from the server side, no close frame.
   * Returns how many of them had authenticated: a socket still waiting for its `auth` answer is
   * dropped too, but a client counts a reconnect only once one authenticates.
   */
  dropSockets(): number;
  /** Websocket upgrades seen so far, and how many are still open. */
  upgrades(): { total: number; open: number };
}

/** The part of the server's websocket hub the harness watches. */
interface ConnectionHubLike {
  admit(connection: object): boolean;
  forget(connection: object): void;
}

/** The real demo-server in process, with its embedded database and the demo data. */
export async function startRealtimeServer(options: StartServerOptions = {}): Promise<RealtimeServer> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    memory: options.dataDir === undefined,
    seed: true,
    logLevel: 'silent',
    unsafeTestArgon2: { memoryKiB: 256, passes: 1, parallelism: 1 },
    // Every answer is checked against the OpenAPI document, every event against the contract.
    strictResponses: true,
    strictEvents: true,
    ...options,
  });
  const upgraded = new Set<Socket>();
  let total = 0;
  // The connections the server let in (its `auth` answer said success) and has not yet let go: a
  // drop takes them all, as it destroys every upgraded socket. Read from the server's own hub, which
  // admits a connection right before it answers `auth` with success.
  const authenticated = new Set<object>();
  const hub = (server.ctx.services as { realtime: ConnectionHubLike }).realtime;
  const admit = hub.admit.bind(hub);
  const forget = hub.forget.bind(hub);
  hub.admit = (connection) => {
    const admitted = admit(connection);
    if (admitted) authenticated.add(connection);
    return admitted;
  };
  hub.forget = (connection) => {
    authenticated.delete(connection);
    forget(connection);
  };
  // A second 'upgrade' listener only records the socket; the server's own listener handles it.
  server.app.server.on('upgrade', (_req, socket: Socket) => {
    total += 1;
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  return Object.assign(server, {
    wsUrl: `${server.url.replace(/^http/, 'ws')}/ws`,
    dropSockets() {
      const n = authenticated.size;
      for (const socket of upgraded) socket.destroy();
      upgraded.clear();
      return n;
    },
    upgrades: () => ({ total, open: upgraded.size }),
  });
}

export function sessionAuth(
  server: { url: string },
  user: { username: string; password: string },
): SessionAuth {
  return createSessionAuth({ ...user, baseUrl: server.url });
}

interface EventsService {
  emit(input: {
    accountId: string;
    type: string;
    refId: string;
    message: string;
    payload: unknown;
  }): Promise<{
    seq: number;
  }>;
}

/** The server's event log (the events area), to emit many events fast without the simulator's pacing. */
export function eventsOf(server: RunningServer): EventsService {
  const events = (server.ctx.services as { events?: EventsService }).events;
  if (events === undefined) throw new Error('the demo-server has no events area');
  return events;
}

/** Emits one schema-valid `call.ringing` on the account; returns its seq. */
export async function emitCall(server: RunningServer, accountId = ACME): Promise<number> {
  const uuid = randomUUID();
  const now = new Date().toISOString();
  const stored = await eventsOf(server).emit({
    accountId,
    type: 'call.ringing',
    refId: uuid,
    message: 'Call out +12015550100 > +12015550123 - ringing',
    payload: {
      uuid,
      direction: 'out',
      from: '+12015550100',
      to: '+12015550123',
      state: 'ringing',
      duration: 0,
      init_on: now,
      ring_on: now,
      answer_on: null,
      hangup_on: null,
      destroy_on: null,
      q850_cause: null,
      q850_cause_string: null,
      parent: null,
      batch: null,
    },
  });
  return stored.seq;
}

/** Emits one call event every `everyMs` until stopped; `done` resolves with the seqs emitted. */
export function emitStream(
  server: () => RunningServer,
  everyMs: number,
): { stop(): void; done: Promise<number[]> } {
  let running = true;
  const done = (async () => {
    const seqs: number[] = [];
    while (running) {
      seqs.push(await emitCall(server()));
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    return seqs;
  })();
  return {
    stop: () => {
      running = false;
    },
    done,
  };
}

export async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
