import type { WebSocket } from 'ws';

/** Above this many buffered bytes a replay waits for the socket to drain. */
const HIGH_WATER = 1024 * 1024;

/** A stream that can hold writes and hand them over together (Node's `net.Socket`). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export interface FrameOutputOptions {
  socket: WebSocket;
  /** The TCP stream under the websocket. */
  stream: Corkable;
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

  constructor(options: FrameOutputOptions) {
    this.#o = options;
  }

  send(frame: string): void {
    const { socket } = this.#o;
    if (socket.bufferedAmount > this.#o.maxBufferedBytes) {
      this.#o.tooSlow();
      return;
    }
    socket.send(frame);
  }

  /**
   * Runs `sends` with the stream corked: its frames reach the kernel as one write instead of one
   * system call each (`ws` corks every frame for its own header and payload; corks nest).
   */
  together(sends: () => void): void {
    this.#o.stream.cork();
    try {
      sends();
    } finally {
      this.#o.stream.uncork();
    }
  }

  /** Resolves once the socket's send buffer is small again (or the socket closed). */
  async drained(): Promise<void> {
    while (this.#o.isOpen() && this.#o.socket.bufferedAmount > HIGH_WATER) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
