import { type AuthStrategy, CallwireError, type LogFn } from '@callwire/auth-core';
import { unauthenticatedError } from './errors.js';
import type { Alarm, Sleeper } from './timers.js';

/** What token renewal needs from the connection. */
export interface RenewalHost {
  send(frame: Record<string, unknown>): boolean;
  /** Identifies the authenticated socket (-1 when none): a reauth started on one never lands on another. */
  epoch(): number;
  error(error: unknown): void;
  log: LogFn;
}

/** Renewal starts when this share of a token's lifetime is left… */
const RENEW_SHARE = 1 / 2;
/** …but never more than this long before expiry. */
const RENEW_AHEAD = 60_000;
/** Allowance for clock skew when only the server's `expires_on` is known: a tenth of the lifetime, at most 30 s. */
const SKEW_SHARE = 1 / 10;
const MAX_SKEW = 30_000;
/** A `token_expiring` never renews a token younger than this. */
const MIN_TOKEN_AGE = 5_000;

/**
 * When to renew a token accepted at `since` that expires at `expiresAt` (both on the local clock):
 * when half of its lifetime is left, at most 60 s before expiry. A 60 s token is renewed after
 * 30 s, an hour-long one a minute before it expires: however short, a token lives a while.
 */
export function renewalTime(since: number, expiresAt: number): number {
  const lifetime = Math.max(0, expiresAt - since);
  return expiresAt - Math.min(RENEW_AHEAD, lifetime * RENEW_SHARE);
}

/** The local expiry to plan with when only the server's timestamp is known: earlier, by a skew allowance. */
export function withSkewAllowance(since: number, serverExpiresOn: number): number {
  const lifetime = Math.max(0, serverExpiresOn - since);
  return serverExpiresOn - Math.min(MAX_SKEW, lifetime * SKEW_SHARE);
}

/**
 * The socket's token: which one a new socket authenticates with (never the one the server just
 * refused), when to hand the live socket a newer one (`reauth`, ahead of expiry, on the server's
 * `token_expiring`, or when the strategy renewed it elsewhere), and what a 4401 close means.
 */
export class TokenRenewal implements Sleeper {
  readonly #auth: AuthStrategy;
  readonly #alarm: Alarm;
  readonly #host: RenewalHost;
  #token: string | undefined;
  #pending: string | undefined;
  #reauthing: Promise<void> | undefined;
  /** When the token in use was accepted, and when its renewal is due. */
  #since = 0;
  #at = Number.POSITIVE_INFINITY;
  #rejected: string | undefined;
  #retried = false;
  #off: (() => void) | undefined;
  #disposed = false;

  constructor(auth: AuthStrategy, alarm: Alarm, host: RenewalHost) {
    this.#auth = auth;
    this.#alarm = alarm;
    this.#host = host;
    alarm.add(this);
    if (typeof auth.onChange === 'function') {
      // A token renewed elsewhere (a REST call's refresh) is handed to the live socket at once, so it
      // never keeps, and later resumes with, a token the server is about to refuse.
      this.#off = auth.onChange(() => {
        if (this.#host.epoch() >= 0) void this.reauth(false);
      });
    }
  }

  /** When the renewal is due (the connection's alarm wakes us then); Infinity when none is planned. */
  get wakeAt(): number {
    return this.#at;
  }

  /** The renewal is due. */
  wake(): void {
    this.#at = Number.POSITIVE_INFINITY;
    void this.reauth(true);
  }

  /** The token of the current (or last) socket. */
  get token(): string | undefined {
    return this.#token;
  }

  /** A token for the next socket; never the one the server just refused (refresh first, once). */
  async socketToken(refusal: { code: string; message: string } | undefined): Promise<string> {
    let token = await this.#auth.token();
    if (token === this.#rejected) {
      const renewed = await this.#auth.refresh({ rejected: token });
      if (renewed) token = await this.#auth.token();
      if (!renewed || token === this.#rejected) {
        throw unauthenticatedError(
          refusal?.code,
          'The server refused the token (4401) and the auth strategy cannot renew it',
        );
      }
    }
    if (typeof token !== 'string' || token.length === 0)
      throw new TypeError('auth.token() returned no token');
    this.#token = token;
    return token;
  }

  /** The socket authenticated with the token; `serverExpiresOn` is the server's `expires_on`. */
  accepted(serverExpiresOn: number | undefined): void {
    this.#retried = false;
    this.#rejected = undefined;
    this.#schedule(serverExpiresOn);
  }

  /**
   * A 4401 close: true to reconnect at once with a refreshed token, false when that was already
   * tried (a second 4401 in a row is final).
   */
  refused(): boolean {
    if (this.#retried) return false;
    this.#retried = true;
    this.#rejected = this.#token;
    return true;
  }

  /**
   * The server's `token_expiring`. When the renewal we planned comes before the expiry the server
   * announces, the plan stands: a server that warns early (or with a fixed window longer than a short
   * token's life) must not start a renewal loop. Otherwise the token is renewed now, though never one
   * younger than 5 s: the renewal is deferred, never dropped.
   */
  expiring(message: Record<string, unknown>): void {
    const announced = typeof message.expires_on === 'string' ? Date.parse(message.expires_on) : Number.NaN;
    if (Number.isFinite(announced) && this.#at <= withSkewAllowance(this.#since, announced)) return;
    const earliest = this.#since + MIN_TOKEN_AGE;
    if (this.#alarm.now() >= earliest) void this.reauth(true);
    else if (earliest < this.#at) this.#arm(earliest);
  }

  /** The answer to our `reauth` frame. */
  result(message: Record<string, unknown>): void {
    const token = this.#pending;
    this.#pending = undefined;
    if (message.success === true) {
      if (token !== undefined) this.#token = token;
      const expiresOn = typeof message.expires_on === 'string' ? Date.parse(message.expires_on) : Number.NaN;
      this.#schedule(Number.isFinite(expiresOn) ? expiresOn : undefined);
      this.#host.log('debug', 'Socket token renewed');
      return;
    }
    this.#host.log('warn', 'The server refused the renewed token', { code: message.code });
    this.#host.error(
      new CallwireError({
        code: typeof message.code === 'string' ? message.code : 'reauth_failed',
        message: typeof message.message === 'string' ? message.message : 'reauth refused',
      }),
    );
  }

  /**
   * Hands the socket a newer token. `force`: ask the strategy to renew if it still has the token in
   * use (our timer or `token_expiring`); otherwise only a token that already changed is sent.
   */
  reauth(force: boolean): Promise<void> {
    if (this.#reauthing !== undefined) return this.#reauthing;
    const run = async () => {
      const epoch = this.#host.epoch();
      const used = this.#pending ?? this.#token;
      let token = await this.#auth.token();
      if (force && token === used) {
        const renewed = await this.#auth.refresh(used === undefined ? {} : { rejected: used });
        if (renewed) token = await this.#auth.token();
      }
      if (epoch < 0 || epoch !== this.#host.epoch() || token === used) return;
      this.#pending = token;
      this.#host.send({ type: 'reauth', token });
    };
    this.#reauthing = run()
      .catch((error: unknown) => {
        if (this.#disposed) return;
        // Not fatal here: the server closes 4401 at expiry and the reconnect path refreshes once more.
        this.#host.log('warn', 'Renewing the socket token failed', { message: String(error) });
        this.#host.error(error);
      })
      .finally(() => {
        this.#reauthing = undefined;
      });
    return this.#reauthing;
  }

  /** The socket went away: nothing pending, no timer. */
  socketGone(): void {
    this.#pending = undefined;
    this.#at = Number.POSITIVE_INFINITY;
    this.#alarm.update();
  }

  dispose(): void {
    this.#disposed = true;
    this.socketGone();
    this.#off?.();
    this.#off = undefined;
  }

  /**
   * Plans the renewal. The server's `expires_on` is on the server's clock; when the strategy exposes
   * its session (`expiresAt` on the local clock, as auth-core's session strategy does), that is used
   * instead, so clock skew cannot make us late.
   */
  #schedule(serverExpiresOn: number | undefined): void {
    const now = this.#alarm.now();
    this.#since = now;
    let expiresAt = this.#localExpiry();
    if (expiresAt === undefined && serverExpiresOn !== undefined)
      expiresAt = withSkewAllowance(now, serverExpiresOn);
    this.#arm(expiresAt === undefined ? Number.POSITIVE_INFINITY : renewalTime(now, expiresAt));
  }

  #localExpiry(): number | undefined {
    const session = (this.#auth as { session?: () => { token?: string; expiresAt?: number } | undefined })
      .session;
    try {
      const record = typeof session === 'function' ? session.call(this.#auth) : undefined;
      if (record !== undefined && record.token === this.#token && typeof record.expiresAt === 'number') {
        return record.expiresAt;
      }
    } catch {
      // A strategy whose session cannot be read: plan with the server's timestamp.
    }
    return undefined;
  }

  #arm(at: number): void {
    this.#at = at;
    this.#alarm.update();
  }
}
