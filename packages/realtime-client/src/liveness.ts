import type { LogFn } from '@callwire/auth-core';
import type { Alarm, Sleeper } from './timers.js';

/** What liveness needs from the connection. */
export interface LivenessHost {
  /** Sends a frame on the current socket; false when it could not. */
  send(frame: Record<string, unknown>): boolean;
  /** The link is dead: drop the socket (the connection reconnects). */
  dead(reason: string): void;
  /** A `ping` → `pong` round trip was measured, ms. */
  roundTrip(ms: number): void;
  log: LogFn;
}

/**
 * Decides when a socket is dead, waking (on the connection's alarm) for the sooner of the next ping
 * and the deadline, all kept as timestamps and re-read when it wakes. Before auth, the socket must
 * speak within interval + tolerance. After it, the link counts as dead after interval + tolerance of
 * silence (any frame counts) *and* a ping of ours unanswered for `tolerance`: the second condition
 * runs from when the ping actually left, so a timer that a background tab held back for a minute
 * cannot condemn a healthy but quiet link; it pings on waking and decides `tolerance` later.
 * Browsers cannot see websocket ping frames, so liveness and round-trip time use app pings.
 */
export class Liveness implements Sleeper {
  readonly #alarm: Alarm;
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #host: LivenessHost;
  /** 0: no socket; 1: waiting for the handshake; 2: authenticated. */
  #phase: 0 | 1 | 2 = 0;
  #lastFrameAt = 0;
  #nextPingAt = 0;
  #pingId: string | undefined;
  #pingSentAt = 0;
  #pingSeq = 0;

  constructor(alarm: Alarm, interval: number, tolerance: number, host: LivenessHost) {
    this.#alarm = alarm;
    this.#interval = interval;
    this.#tolerance = tolerance;
    this.#host = host;
    alarm.add(this);
  }

  /** When to look again: the handshake deadline, the next ping, or when an unanswered ping condemns the link. */
  get wakeAt(): number {
    const silentUntil = this.#lastFrameAt + this.#interval + this.#tolerance;
    if (this.#phase === 0) return Number.POSITIVE_INFINITY;
    if (this.#phase === 1) return silentUntil;
    if (!this.#unanswered()) return this.#nextPingAt;
    // Not the next ping as well: none goes out while one is unanswered, so a wake then would find
    // nothing to do and ask to be woken again at once, until the deadline.
    return Math.max(this.#pingSentAt + this.#tolerance, silentUntil);
  }

  /** A new socket: the handshake must complete within interval + tolerance of now. */
  attached(): void {
    this.#phase = 1;
    this.#pingId = undefined;
    this.#pingSentAt = 0;
    this.#lastFrameAt = this.#alarm.now();
    this.#alarm.update();
  }

  /** The socket authenticated: pings start one interval from now. */
  authenticated(): void {
    this.#phase = 2;
    this.#nextPingAt = this.#alarm.now() + this.#interval;
    this.#pingSentAt = 0;
    this.#alarm.update();
  }

  /** Any frame from the server proves the link is alive. */
  frame(): void {
    this.#lastFrameAt = this.#alarm.now();
  }

  pong(id: unknown): void {
    if (id === undefined || id !== this.#pingId) return;
    this.#pingId = undefined;
    this.#host.roundTrip(this.#alarm.now() - this.#pingSentAt);
  }

  stop(): void {
    this.#phase = 0;
    this.#pingId = undefined;
    this.#alarm.update();
  }

  /** Called by the alarm at `wakeAt`: the link is dead, or a ping is due. */
  wake(now: number): void {
    if (this.#phase === 0) return;
    const silentUntil = this.#lastFrameAt + this.#interval + this.#tolerance;
    if (this.#phase === 1) {
      if (now < silentUntil) return;
      this.#host.log('warn', 'The server did not complete the handshake in time; reconnecting');
      this.#phase = 0;
      this.#host.dead('handshake timeout');
      return;
    }
    const unanswered = this.#unanswered();
    if (unanswered && now >= Math.max(this.#pingSentAt + this.#tolerance, silentUntil)) {
      this.#host.log('warn', 'No frame from the server since our ping; reconnecting', {
        silentMs: now - this.#lastFrameAt,
      });
      this.#phase = 0;
      this.#host.dead('heartbeat timeout');
      return;
    }
    if (!unanswered && now >= this.#nextPingAt) {
      this.#pingId = `p${++this.#pingSeq}`;
      this.#pingSentAt = now;
      this.#nextPingAt = now + this.#interval;
      this.#host.send({ type: 'ping', id: this.#pingId });
    }
  }

  /** A ping of ours went out and no frame has come since. */
  #unanswered(): boolean {
    return this.#pingSentAt > 0 && this.#lastFrameAt < this.#pingSentAt;
  }
}
