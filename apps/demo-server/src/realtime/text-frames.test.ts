import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { encodeTextFrames } from './text-frames.js';

/** Sent by `ws` itself after each batch: the client's reads of one batch end there. */
const END = `end ${randomUUID()}`;

let server: WebSocketServer;
let serverSide: { socket: WebSocket; stream: Socket };
let client: WebSocket;
let received: { text: string; binary: boolean }[] = [];
let batchRead: () => void = () => {};

beforeAll(async () => {
  // A real server socket and a real `ws` client over loopback, as the realtime server has them.
  server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => server.once('listening', resolve));
  const connected = new Promise<void>((resolve) =>
    server.once('connection', (socket, request) => {
      serverSide = { socket, stream: request.socket as Socket };
      resolve();
    }),
  );
  client = new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`, {
    maxPayload: 0,
  });
  client.on('message', (data: Buffer, binary) => {
    const text = data.toString('utf8');
    if (text === END) batchRead();
    else received.push({ text, binary });
  });
  await connected;
});

afterAll(async () => {
  client.close();
  await new Promise((resolve) => server.close(resolve));
});

/** Writes the encoded messages to the server's stream, then `END` through `ws`: what the client reads. */
async function throughSocket(messages: readonly string[]): Promise<string[]> {
  received = [];
  const read = new Promise<void>((resolve) => {
    batchRead = resolve;
  });
  serverSide.stream.write(encodeTextFrames(messages));
  serverSide.socket.send(END);
  await read;
  expect(received.filter((m) => m.binary)).toEqual([]);
  return received.map((m) => m.text);
}

/** Around each size where the length field changes (125/126 and 65,535/65,536 bytes). */
const EDGE_SIZES = [0, 1, 125, 126, 127, 65_535, 65_536, 65_537, 200_000];

describe('encodeTextFrames', () => {
  it('a client reads every message as text, in order, at the sizes where the length field changes', async () => {
    const messages = EDGE_SIZES.map((n) => 'a'.repeat(n));
    expect(await throughSocket(messages)).toEqual(messages);
  });

  it('sizes each message by its UTF-8 bytes, not its characters', async () => {
    // 42 characters of 3 bytes (126 bytes) and 42 of 1 (42 bytes); 21,846 of 3 bytes (65,538) and
    // of 1 (21,846); 4-byte characters (two UTF-16 units each).
    const messages = [
      '€'.repeat(42),
      'e'.repeat(42),
      '€'.repeat(21_846),
      'e'.repeat(21_846),
      '😀'.repeat(40),
    ];
    expect(await throughSocket(messages)).toEqual(messages);
  });

  it('a client reads any messages back, in order, before a frame ws sends after them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 20 }),
        async (messages) => {
          expect(await throughSocket(messages)).toEqual(messages);
        },
      ),
    );
  });

  it('a batch larger than the kept scratch space comes out whole, and the next one too', async () => {
    const big = Array.from({ length: 40 }, (_, i) => `${i}:${'x'.repeat(30_000)}`);
    expect(await throughSocket(big)).toEqual(big);
    expect(await throughSocket(['after'])).toEqual(['after']);
  });
});
