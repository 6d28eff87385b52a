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
 * How precisely the time of the last frame is known, ms: at most this much later than it was, so a
 * dead link is dropped at most this much later than its deadline.
 */
const RESOLUTION = 1_000;

/**
 * Decides when a socket is dead, waking (on the connection's alarm) for the sooner of the next ping
 * and the deadline, all kept as timestamps and re-read when it wakes. Before auth, the socket must
 * speak within interval + tolerance. After it, the link counts as dead after interval + tolerance of
 * silence (any frame counts) *and* a ping of ours unanswered for `tolerance`: the second condition
 * runs from when the ping actually left, so a timer that a background tab held back for a minute
 * cannot condemn a healthy but quiet link; it pings on waking and decides `tolerance` later.
 * Browsers cannot see websocket ping frames, so liveness and round-trip time use app pings.
 *
 * Frames are not timed one by one: reading the clock was the largest cost of receiving an event.
 * The first frame since the last look is timed; when more follow, the next look comes at most
 * `RESOLUTION` after that first one and takes its own time as the last frame's. A quiet link's last
 * frame is timed exactly, a busy one's to within `RESOLUTION`, always on the late side: a link is
 * never dropped early, and at most `RESOLUTION` late.
 */
export class Liveness implements Sleeper {
  readonly #alarm: Alarm;
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #host: LivenessHost;
  /** 0: no socket; 1: waiting for the handshake; 2: authenticated. */
  #phase: 0 | 1 | 2 = 0;
  /** When the last frame came, as of the last look (see the class comment). */
  #lastFrameAt = 0;
  /** Frames since the last look: 0, 1 (it came at `#firstFrameAt`) or 2 for more than one. */
  #seen: 0 | 1 | 2 = 0;
  #firstFrameAt = 0;
  #nextPingAt = 0;
  #pingId: string | undefined;
  #pingSentAt = 0;
  /** A ping of ours is out and no frame had come since it left, as of the last look. */
  #pingPending = false;
  #pingSeq = 0;

  constructor(alarm: Alarm, interval: number, tolerance: number, host: LivenessHost) {
    this.#alarm = alarm;
    this.#interval = interval;
    this.#tolerance = tolerance;
    this.#host = host;
    alarm.add(this);
  }

  /**
   * When to look again: the handshake deadline, the next ping, or when an unanswered ping condemns
   * the link; sooner when frames have come since the last look and it is time to take their time.
   * Frames not yet looked at count from the first one's time: waking early only means looking.
   */
  get wakeAt(): number {
    if (this.#phase === 0) return Number.POSITIVE_INFINITY;
    const seen = this.#seen;
    const lastFrameAt = seen === 0 ? this.#lastFrameAt : this.#firstFrameAt;
    const silentUntil = lastFrameAt + this.#interval + this.#tolerance;
    const look = seen === 2 ? this.#firstFrameAt + RESOLUTION : Number.POSITIVE_INFINITY;
    if (this.#phase === 1) return Math.min(silentUntil, look);
    if (seen !== 0 || !this.#pingPending) return Math.min(this.#nextPingAt, look);
    // Not the next ping as well: none goes out while one is unanswered, so a wake then would find
    // nothing to do and ask to be woken again at once, until the deadline.
    return Math.max(this.#pingSentAt + this.#tolerance, silentUntil);
  }

  /** A new socket: the handshake must complete within interval + tolerance of now. */
  attached(): void {
    this.#phase = 1;
    this.#pingId = undefined;
    this.#pingSentAt = 0;
    this.#pingPending = false;
    this.#seen = 0;
    this.#lastFrameAt = this.#alarm.now();
    this.#alarm.update();
  }

  /** The socket authenticated: pings start one interval from now. */
  authenticated(): void {
    const now = this.#alarm.now();
    this.#look(now);
    this.#phase = 2;
    this.#nextPingAt = now + this.#interval;
    this.#pingSentAt = 0;
    this.#pingPending = false;
    this.#alarm.update();
  }

  /** Any frame from the server proves the link is alive. Called for every frame: see the class comment. */
  frame(): void {
    const seen = this.#seen;
    if (seen === 2) return;
    if (seen === 0) {
      this.#seen = 1;
      this.#firstFrameAt = this.#alarm.now();
      return;
    }
    // A second frame since the last look: look again within RESOLUTION of the first.
    this.#seen = 2;
    this.#alarm.update();
  }

  pong(id: unknown): void {
    if (id === undefined || id !== this.#pingId) return;
    this.#pingId = undefined;
    this.#host.roundTrip(this.#alarm.now() - this.#pingSentAt);
  }

  stop(): void {
    this.#phase = 0;
    this.#pingId = undefined;
    this.#pingPending = false;
    this.#seen = 0;
    this.#alarm.update();
  }

  /** Called by the alarm at `wakeAt`: the link is dead, or a ping is due. */
  wake(now: number): void {
    if (this.#phase === 0) return;
    this.#look(now);
    const silentUntil = this.#lastFrameAt + this.#interval + this.#tolerance;
    if (this.#phase === 1) {
      if (now < silentUntil) return;
      this.#host.log('warn', 'The server did not complete the handshake in time; reconnecting');
      this.#phase = 0;
      this.#host.dead('handshake timeout');
      return;
    }
    const unanswered = this.#pingPending;
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
      this.#pingPending = true;
      this.#nextPingAt = now + this.#interval;
      this.#host.send({ type: 'ping', id: this.#pingId });
    }
  }

  /**
   * Takes in the frames since the last look: one came at `#firstFrameAt`; of several, the last came
   * by `now`. Either way a ping out before this look is answered (pings leave only after a look).
   */
  #look(now: number): void {
    const seen = this.#seen;
    if (seen === 0) return;
    this.#lastFrameAt = seen === 1 ? this.#firstFrameAt : now;
    this.#seen = 0;
    this.#pingPending = false;
  }
}
