import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { DEMO_ACCOUNTS } from '../src/seed/demo-identity.js';
import type { RunningServer } from '../src/server.js';

export const ACME = DEMO_ACCOUNTS.acme.uuid;
export const BAYSIDE = DEMO_ACCOUNTS.bayside.uuid;

export type Frame = Record<string, unknown> & { type: string };

/** Logs in over REST and returns the session token (bound to `accountId` or the default account). */
export async function login(
  server: RunningServer,
  username: string,
  password: string,
  accountId?: string,
): Promise<{ token: string; refresh: string; expiresOn: string }> {
  const res = await server.app.inject({
    method: 'POST',
    url: '/rest/auth/login',
    payload: { username, password, ...(accountId === undefined ? {} : { account_id: accountId }) },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const payload = res.json().payload as { token: string; refresh_token: string; token_expiration: string };
  return { token: payload.token, refresh: payload.refresh_token, expiresOn: payload.token_expiration };
}

export const alice = (server: RunningServer) => login(server, 'alice@example.com', 'alice-pass-1');
export const bob = (server: RunningServer, accountId?: string) =>
  login(server, 'bob@example.com', 'bob-pass-1', accountId);
export const dave = (server: RunningServer) => login(server, 'dave@example.com', 'dave-pass-1');

/** A real websocket client that queues every frame it receives, for step-by-step assertions. */
export class TestSocket {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: Array<() => void> = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, options);
    this.ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const w of this.#waiters.splice(0)) w();
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const w of this.#waiters.splice(0)) w();
      });
    });
    this.ws.on('error', () => {});
  }

  static async open(server: RunningServer, options?: WebSocket.ClientOptions): Promise<TestSocket> {
    const socket = new TestSocket(`${server.url.replace(/^http/, 'ws')}/ws`, options);
    await socket.opened;
    return socket;
  }

  /** Opens, authenticates with `token`, and checks that it worked. */
  static async authed(server: RunningServer, token: string): Promise<TestSocket> {
    const socket = await TestSocket.open(server);
    socket.send({ type: 'auth', token });
    const reply = await socket.next('auth');
    if (reply.success !== true) throw new Error(`auth failed: ${JSON.stringify(reply)}`);
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits for (and removes) the first frame of `type` (any type when undefined). */
  async next(type?: string, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex((f) => type === undefined || f.type === type);
      if (i >= 0) return this.frames.splice(i, 1)[0]!;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no ${type ?? 'frame'} within ${timeoutMs} ms; have ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until `n` event frames arrived and returns their events (removing them). */
  async events(n: number, timeoutMs = 10_000): Promise<Array<Record<string, unknown> & { seq: number }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const have = this.frames.filter((f) => f.type === 'event');
      if (have.length >= n) {
        const taken = have.slice(0, n);
        for (const f of taken) this.frames.splice(this.frames.indexOf(f), 1);
        return taken.map((f) => f.event as Record<string, unknown> & { seq: number });
      }
      if (Date.now() > deadline) throw new Error(`only ${have.length}/${n} events within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** Emits `n` valid `batch.updated` events for an account (each its own transaction, or one for all). */
export async function emitBatches(
  server: RunningServer,
  accountId: string,
  n: number,
  options: { oneTransaction?: boolean; type?: string } = {},
): Promise<number[]> {
  const events = server.ctx.services.events!;
  const now = new Date(server.ctx.now()).toISOString();
  const input = (i: number) => {
    const uuid = randomUUID();
    return {
      accountId,
      type: options.type ?? 'batch.updated',
      refId: uuid,
      message: `Batch ${i}`,
      payload: {
        uuid,
        state: 'processing',
        total: n,
        completed: i,
        failed: 0,
        created_on: now,
        modified_on: now,
      },
    };
  };
  if (options.oneTransaction) {
    return events.transaction(async (_trx, emit) => {
      const seqs: number[] = [];
      for (let i = 0; i < n; i++) seqs.push((await emit(input(i))).seq);
      return seqs;
    });
  }
  const seqs: number[] = [];
  for (let i = 0; i < n; i++) seqs.push((await events.emit(input(i))).seq);
  return seqs;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
