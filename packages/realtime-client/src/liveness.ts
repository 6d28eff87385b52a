import type { LogFn } from '@callwire/auth-core';
import { type RealtimeTimers, Timer } from './timers.js';

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

const MAX_TIMER = 2 ** 31 - 1;

/**
 * Decides when a socket is dead, with one timer re-armed for the sooner of the next ping and the
 * deadline, all kept as timestamps and re-read when the timer fires. Before auth, the socket must
 * speak within interval + tolerance. After it, the link counts as dead after interval + tolerance of
 * silence (any frame counts) *and* a ping of ours unanswered for `tolerance`: the second condition
 * runs from when the ping actually left, so a timer that a background tab held back for a minute
 * cannot condemn a healthy but quiet link; it pings on waking and decides `tolerance` later.
 * Browsers cannot see websocket ping frames, so liveness and round-trip time use app pings.
 */
export class Liveness {
  readonly #timers: RealtimeTimers;
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #host: LivenessHost;
  readonly #timer: Timer;
  /** 0: no socket; 1: waiting for the handshake; 2: authenticated. */
  #phase: 0 | 1 | 2 = 0;
  #lastFrameAt = 0;
  #nextPingAt = 0;
  #pingId: string | undefined;
  #pingSentAt = 0;
  #pingSeq = 0;
  readonly #onTimer = (): void => this.#check();

  constructor(timers: RealtimeTimers, interval: number, tolerance: number, host: LivenessHost) {
    this.#timers = timers;
    this.#interval = interval;
    this.#tolerance = tolerance;
    this.#host = host;
    this.#timer = new Timer(timers);
  }

  /** A new socket: the handshake must complete within interval + tolerance of now. */
  attached(): void {
    this.#phase = 1;
    this.#pingId = undefined;
    this.#pingSentAt = 0;
    this.#lastFrameAt = this.#timers.now();
    this.#check();
  }

  /** The socket authenticated: pings start one interval from now. */
  authenticated(): void {
    this.#phase = 2;
    this.#nextPingAt = this.#timers.now() + this.#interval;
    this.#pingSentAt = 0;
    this.#check();
  }

  /** Any frame from the server proves the link is alive. */
  frame(): void {
    this.#lastFrameAt = this.#timers.now();
  }

  pong(id: unknown): void {
    if (id === undefined || id !== this.#pingId) return;
    this.#pingId = undefined;
    this.#host.roundTrip(this.#timers.now() - this.#pingSentAt);
  }

  stop(): void {
    this.#phase = 0;
    this.#pingId = undefined;
    this.#timer.clear();
  }

  #check(): void {
    if (this.#phase === 0) return;
    const now = this.#timers.now();
    const silentUntil = this.#lastFrameAt + this.#interval + this.#tolerance;
    if (this.#phase === 1) {
      if (now >= silentUntil) {
        this.#host.log('warn', 'The server did not complete the handshake in time; reconnecting');
        this.#phase = 0;
        this.#host.dead('handshake timeout');
        return;
      }
      this.#arm(silentUntil - now);
      return;
    }
    let unanswered = this.#pingSentAt > 0 && this.#lastFrameAt < this.#pingSentAt;
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
      unanswered = true;
    }
    const deadAt = Math.max(this.#pingSentAt + this.#tolerance, silentUntil);
    const wake = unanswered ? Math.min(deadAt, this.#nextPingAt) : this.#nextPingAt;
    this.#arm(wake - now);
  }

  #arm(ms: number): void {
    this.#timer.set(Math.min(MAX_TIMER, Math.max(0, ms)), this.#onTimer);
  }
}
