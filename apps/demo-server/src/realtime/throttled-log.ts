/**
 * A log for things any client can cause (oversized frames, message floods, broken sockets): at
 * most `perWindow` lines a window, then one line saying how many were left out, so that nobody can
 * flood the server's log by misbehaving. Lines carry no stack: the cause is the client, not the code.
 */
export class ThrottledLog {
  readonly #write: (details: Record<string, unknown>, message: string) => void;
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #written = 0;
  #suppressed = 0;

  /**
   * @param write where lines go (the server logger's `warn`)
   * @param perWindow lines written per window @default 20
   * @param windowMs the window @default 60000
   */
  constructor(
    write: (details: Record<string, unknown>, message: string) => void,
    perWindow = 20,
    windowMs = 60_000,
    now: () => number = Date.now,
  ) {
    this.#write = write;
    this.#perWindow = perWindow;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  log(details: Record<string, unknown>, message: string): void {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) {
      if (this.#suppressed > 0) {
        this.#write(
          { suppressed: this.#suppressed },
          `${this.#suppressed} more websocket refusals were not logged in the last ${this.#windowMs / 1000} s`,
        );
      }
      this.#windowStart = now;
      this.#written = 0;
      this.#suppressed = 0;
    }
    if (this.#written < this.#perWindow) {
      this.#written++;
      this.#write(details, message);
    } else {
      this.#suppressed++;
    }
  }
}
