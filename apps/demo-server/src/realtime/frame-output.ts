import type { WebSocket } from 'ws';
import { encodeTextFrames } from './text-frames.js';

/** Above this many buffered bytes a replay waits for the socket to drain. */
const HIGH_WATER = 1024 * 1024;

/** The TCP stream under a websocket (Node's `net.Socket`). */
export interface FrameStream {
  write(chunk: Uint8Array): boolean;
}

export interface FrameOutputOptions {
  /** The websocket; it must not use permessage-deflate (see {@link FrameOutput.together}). */
  socket: WebSocket;
  /** The TCP stream under the websocket. */
  stream: FrameStream;
  /** More than this many bytes waiting to be sent and the client counts as not reading. */
  maxBufferedBytes: number;
  /** Whether frames may still be sent. */
  isOpen: () => boolean;
  /** Lets a client go that does not read. */
  tooSlow: () => void;
}

/**
 * Events on their way out of one websocket: back-pressure (a client that does not read is let
 * go instead of buffered for without bound), and the frames of one commit written together.
 */
export class FrameOutput {
  readonly #o: FrameOutputOptions;
  /** The frames of the {@link together} call under way. */
  #batch: string[] | undefined;

  constructor(options: FrameOutputOptions) {
    this.#o = options;
  }

  send(frame: string): void {
    if (this.#batch !== undefined) {
      this.#batch.push(frame);
      return;
    }
    if (this.#backedUp()) return;
    this.#o.socket.send(frame);
  }

  /**
   * Runs `sends` and writes their frames to the stream as one buffer: one write instead of two per
   * frame (`ws` writes a header and a payload for each, and each write has its own bookkeeping in
   * the stream, which cost more than building the frames). The bytes are those `ws` would send.
   * `ws` writes a text message to the stream as soon as it is given one when permessage-deflate is
   * off (it queues only while compressing), so frames written here and by `ws` keep the order in
   * which they were sent. Whether the client keeps up is checked once for the batch, as it was
   * checked once per frame: the batch is one commit's events.
   */
  together(sends: () => void): void {
    if (this.#batch !== undefined) {
      sends();
      return;
    }
    const batch: string[] = [];
    this.#batch = batch;
    try {
      sends();
    } finally {
      this.#batch = undefined;
      if (batch.length > 0 && this.#o.isOpen() && !this.#backedUp())
        this.#o.stream.write(encodeTextFrames(batch));
    }
  }

  /** Resolves once the socket's send buffer is small again (or the socket closed). */
  async drained(): Promise<void> {
    while (this.#o.isOpen() && this.#o.socket.bufferedAmount > HIGH_WATER) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Whether the client stopped reading; if so it is let go. */
  #backedUp(): boolean {
    if (this.#o.socket.bufferedAmount <= this.#o.maxBufferedBytes) return false;
    this.#o.tooSlow();
    return true;
  }
}
