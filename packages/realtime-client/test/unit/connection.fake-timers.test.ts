import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WS_CLOSE } from '@callwire/types';
import { describe, expect, it } from 'vitest';
import type { StateChange } from '../../src/api.js';
import { Backoff } from '../../src/backoff.js';
import { Connection } from '../../src/connection.js';
import { createCounters } from '../../src/counters.js';
import type { SocketListener, WebSocketLike } from '../../src/websocket.js';
import { FakeAuth } from '../helpers/fake-auth.js';
import { FakeTimers } from '../helpers/fake-timers.js';
import { AUTH_PAYLOAD } from '../helpers/fixtures.js';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A socket driven by the test: it records what the client sends and delivers what the test says. */
class FakeSocket implements WebSocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  readonly closedWith: number[] = [];
  /** The last message event this socket dispatched, held weakly: whether the client still holds it. */
  lastMessage: WeakRef<object> | undefined;
  readonly #listeners = new Map<string, Set<SocketListener>>();

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }

  addEventListener(type: string, listener: SocketListener): void {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: SocketListener): void {
    this.#listeners.get(type)?.delete(listener);
  }

  get listenerCount(): number {
    return [...this.#listeners.values()].reduce((n, set) => n + set.size, 0);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code = 1000): void {
    this.closedWith.push(code);
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.#emit('open', {});
  }

  receive(frame: Record<string, unknown>): void {
    this.#emit('message', { data: JSON.stringify(frame) });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.#emit('close', { code, reason });
  }

  #emit(type: string, event: object): void {
    // Like every WebSocket's events, each names its type.
    const named = { type, ...event };
    if (type === 'message') this.lastMessage = new WeakRef(named);
    for (const listener of [...(this.#listeners.get(type) ?? [])]) listener(named);
  }
}

function setup() {
  FakeSocket.made = [];
  const timers = new FakeTimers();
  const auth = new FakeAuth();
  const states: StateChange[] = [];
  const events: string[] = [];
  const errors: unknown[] = [];
  /** The last event frame handed on, held weakly: whether the connection still holds it. */
  const parsed: { last?: WeakRef<object> } = {};
  const connection = new Connection(
    {
      url: 'ws://127.0.0.1:1/ws',
      WebSocket: FakeSocket,
      auth,
      timers,
      backoff: new Backoff({ initial: 1_000, max: 8_000, random: () => 0.5 }),
      interval: 25_000,
      tolerance: 10_000,
      log: () => {},
      counters: createCounters(),
    },
    {
      opened: () => events.push('opened'),
      event: (m) => {
        events.push('event');
        parsed.last = new WeakRef(m);
      },
      frame: (m) => events.push(String(m.type)),
      requestFailed: () => false,
      closed: () => events.push('closed'),
      failed: () => events.push('failed'),
      state: (change) => states.push(change),
      error: (error) => errors.push(error),
    },
  );
  /** The newest socket opened and authenticated. */
  const handshake = async () => {
    await flush();
    const socket = FakeSocket.made.at(-1)!;
    socket.open();
    socket.receive({ type: 'auth', success: true, payload: AUTH_PAYLOAD });
    return socket;
  };
  return { timers, auth, states, events, errors, parsed, connection, handshake };
}

describe('connection', () => {
  it('authenticates with the strategy token in the first message, then reports open', async () => {
    const { connection, handshake, states, events } = setup();
    const connected = connection.connect();
    const socket = await handshake();
    await connected;
    expect(socket.sent[0]).toEqual({ type: 'auth', token: 't1' });
    expect(states.map((s) => s.state)).toEqual(['connecting', 'open']);
    expect(events).toEqual(['opened']);
  });

  it('reconnects after a drop with full-jitter backoff, widening each time', async () => {
    const { connection, handshake, timers, states } = setup();
    connection.start();
    const first = await handshake();
    first.serverClose(1006);
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', code: 1006, delay: 500 });
    timers.advance(500);
    await flush();
    FakeSocket.made.at(-1)!.serverClose(1006); // the second attempt fails before opening
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', delay: 1_000 });
    timers.advance(1_000);
    await handshake();
    expect(states.at(-1)!.state).toBe('open');
    expect(FakeSocket.made).toHaveLength(3);
  });

  it('4401: one refresh and an immediate reconnect; a second 4401 in a row stops', async () => {
    const { connection, handshake, timers, auth, states, events } = setup();
    connection.start();
    (await handshake()).serverClose(WS_CLOSE.unauthenticated);
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', delay: 0 });
    timers.advance(0);
    await flush();
    await flush();
    const second = FakeSocket.made.at(-1)!;
    second.open();
    expect(second.sent[0]).toEqual({ type: 'auth', token: 't2' });
    expect(auth.refreshCalls).toEqual(['t1']);
    second.serverClose(WS_CLOSE.unauthenticated);
    expect(states.at(-1)).toMatchObject({ state: 'closed' });
    expect(connection.fatal).toMatchObject({ name: 'AuthenticationError' });
    expect(events.at(-1)).toBe('failed');
    expect(timers.active).toBe(0);
  });

  it('4403 stops for good with the reason the server gave before closing', async () => {
    const { connection, handshake, errors, timers } = setup();
    connection.start();
    const socket = await handshake();
    socket.receive({ type: 'error', code: 'api_access_disabled', message: 'API access is off' });
    socket.serverClose(WS_CLOSE.forbidden);
    expect(connection.fatal).toMatchObject({ name: 'PermissionError', code: 'api_access_disabled' });
    expect(errors).toHaveLength(1);
    expect(timers.active).toBe(0);
  });

  it('a 4429 waits at least 5 s before the next attempt', async () => {
    const { connection, handshake, states } = setup();
    connection.start();
    (await handshake()).serverClose(WS_CLOSE.tooMany);
    expect(states.at(-1)!.delay).toBeGreaterThanOrEqual(5_000);
  });

  it('pause() closes the socket and stays away until resume()', async () => {
    const { connection, handshake, timers, states } = setup();
    connection.start();
    const socket = await handshake();
    expect(connection.pause()).toBe(true);
    expect(socket.closedWith).toEqual([4000]);
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting' });
    timers.advance(60_000);
    expect(FakeSocket.made).toHaveLength(1);
    connection.resume();
    await handshake();
    expect(FakeSocket.made).toHaveLength(2);
    expect(states.at(-1)!.state).toBe('open');
  });

  it('ignores a stale socket: its late frames and close change nothing', async () => {
    const { connection, handshake, timers, events } = setup();
    connection.start();
    const old = await handshake();
    old.serverClose(1006);
    timers.advance(500);
    await handshake();
    const before = [...events];
    old.receive({ type: 'event', subscription: 's', event: {} });
    old.serverClose(1006);
    expect(events).toEqual(before);
    expect(old.listenerCount).toBe(0);
  });

  it('dispose() closes the socket, rejects waiters and leaves no timer', async () => {
    const { connection, timers } = setup();
    const waiting = connection.connect();
    await flush();
    const error = new Error('disposed');
    connection.dispose(error);
    await expect(waiting).rejects.toBe(error);
    expect(FakeSocket.made[0]!.closedWith).toEqual([1000]);
    expect(FakeSocket.made[0]!.listenerCount).toBe(0);
    expect(timers.active).toBe(0);
    expect(connection.state).toBe('closed');
  });

  it('an open socket keeps one timer for its pings and its token renewal, and the timer does both', async () => {
    const { connection, timers } = setup();
    connection.start();
    await flush();
    const socket = FakeSocket.made.at(-1)!;
    socket.open();
    const expiresOn = new Date(timers.now() + 60_000).toISOString();
    socket.receive({ type: 'auth', success: true, payload: { ...AUTH_PAYLOAD, expires_on: expiresOn } });
    expect(timers.active).toBe(1);
    // A 60 s token (54 s with the skew allowance) is renewed halfway, at 27 s; the first ping is at 25 s.
    timers.advance(25_000);
    expect(socket.sent.at(-1)).toMatchObject({ type: 'ping' });
    socket.receive({ type: 'pong', id: socket.sent.at(-1)!.id });
    // The renewal asks the strategy for a new token (t2) and hands it to the socket.
    timers.advance(2_000);
    await flush();
    expect(socket.sent.at(-1)).toEqual({ type: 'reauth', token: 't2' });
    expect(timers.active).toBe(1);
  });

  it('waiting out a backoff uses the same single timer, and nothing else runs meanwhile', async () => {
    const { connection, handshake, timers } = setup();
    connection.start();
    const socket = await handshake();
    socket.serverClose(1006);
    expect(timers.active).toBe(1);
    timers.advance(499);
    expect(FakeSocket.made).toHaveLength(1);
    timers.advance(1);
    await flush();
    expect(FakeSocket.made).toHaveLength(2);
  });

  it.each([
    ['the socket is gone', (_: Connection, socket: FakeSocket) => socket.serverClose(1006)],
    [
      'the client stopped on an error',
      (_: Connection, socket: FakeSocket) => socket.serverClose(WS_CLOSE.forbidden),
    ],
    ['the client is disposed', (connection: Connection) => connection.dispose(new Error('disposed'))],
  ])('keeps no event frame once %s', async (_, end) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { connection, handshake, parsed } = setup();
    connection.start();
    const socket = await handshake();
    socket.receive({ type: 'event', subscription: 's1', event: { seq: 1, type: 'call.ringing' } });
    end(connection, socket);
    // A WeakRef holds its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(socket.lastMessage).toBeDefined();
    expect(parsed.last).toBeDefined();
    expect(socket.lastMessage?.deref()).toBeUndefined();
    expect(parsed.last?.deref()).toBeUndefined();
    connection.dispose(new Error('test over'));
  });
});
