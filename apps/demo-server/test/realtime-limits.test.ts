import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageRate } from '../src/realtime/message-rate.js';
import { ThrottledLog } from '../src/realtime/throttled-log.js';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './helpers/test-server.js';
import { alice, TestSocket } from './realtime-helpers.js';

/** A masked client text frame (payload < 126 bytes), as a browser would put it on the wire. */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/** Several frames in one write, so that they reach the server in one read, before any is handled. */
function sendTogether(socket: TestSocket, frames: string[]): void {
  const raw = (socket.ws as unknown as { _socket: { write(b: Buffer): void } })._socket;
  raw.write(Buffer.concat(frames.map(clientFrame)));
}

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

describe('websocket clients that send too much', () => {
  let server: RunningServer;
  const lines: LogLine[] = [];
  const now = Date.now();
  beforeAll(async () => {
    server = await startTestServer({
      fastArgon2: true,
      // A clock that stands still: no refill, so the bucket's arithmetic is exact in the test.
      clock: { now: () => now },
      logLevel: 'warn',
      logStream: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
      realtime: { messagesPerSecond: 5, messageBurst: 4 },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a message over 1 MiB gets an error frame, then close 4400, and a warning without stack', async () => {
    const before = lines.length;
    const socket = await TestSocket.open(server);
    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await socket.next('error')).toMatchObject({ code: 'payload_too_large' });
    expect((await socket.closed).code).toBe(4400);
    const logged = lines.slice(before);
    expect(logged.some((l) => l.level === 40 && /payload_too_large|at most/.test(JSON.stringify(l)))).toBe(
      true,
    );
    expect(logged.filter((l) => l.level > 40)).toEqual([]);
    expect(JSON.stringify(logged)).not.toMatch(/stack|at .*\(.*:\d+:\d+\)/);
  });

  it('the same for an authenticated socket', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token);
    socket.send('y'.repeat(1024 * 1024 + 1));
    expect(await socket.next('error')).toMatchObject({ code: 'payload_too_large' });
    expect((await socket.closed).code).toBe(4400);
  });

  it('a socket over the message rate gets rate_limited, then close 4429', async () => {
    const { token } = await alice(server);
    const socket = await TestSocket.authed(server, token); // the auth message is the first of 4
    for (let i = 0; i < 3; i++) {
      socket.send({ type: 'ping' });
      await socket.next('pong');
    }
    socket.send({ type: 'ping' });
    expect(await socket.next('error')).toMatchObject({ code: 'rate_limited' });
    expect((await socket.closed).code).toBe(4429);
  });

  it('the rate applies before authentication too', async () => {
    const socket = await TestSocket.open(server);
    sendTogether(
      socket,
      Array.from({ length: 6 }, () => '{"type":"ping"}'),
    );
    expect(await socket.next('error')).toMatchObject({ code: 'rate_limited' });
    expect((await socket.closed).code).toBe(4429);
  });

  it('a flood of refused sockets writes a bounded number of log lines', async () => {
    const before = lines.length;
    for (let i = 0; i < 30; i++) {
      const socket = await TestSocket.open(server);
      sendTogether(
        socket,
        Array.from({ length: 6 }, () => '{"type":"ping"}'),
      );
      await socket.closed;
    }
    // The window is a minute of the server clock, which stands still here: at most 20 lines in it.
    expect(lines.length - before).toBeLessThanOrEqual(20);
    expect(lines.every((l) => l.level <= 40)).toBe(true);
  });
});

describe('the pieces', () => {
  it('MessageRate: a burst, then one message per 1/rate seconds', () => {
    let t = 0;
    const rate = new MessageRate(10, 3, () => t);
    expect([rate.take(), rate.take(), rate.take(), rate.take()]).toEqual([true, true, true, false]);
    t += 100;
    expect([rate.take(), rate.take()]).toEqual([true, false]);
    t += 10_000;
    expect([rate.take(), rate.take(), rate.take(), rate.take()]).toEqual([true, true, true, false]);
  });

  it('ThrottledLog: at most N lines a window, then one line counting the rest', () => {
    let t = 0;
    const out: string[] = [];
    const log = new ThrottledLog(
      (_d, message) => out.push(message),
      3,
      1000,
      () => t,
    );
    for (let i = 0; i < 10; i++) log.log({}, `line ${i}`);
    expect(out).toEqual(['line 0', 'line 1', 'line 2']);
    t += 1000;
    log.log({}, 'later');
    expect(out.slice(3)).toEqual(['7 more websocket refusals were not logged in the last 1 s', 'later']);
  });
});
