import { isCallwireError } from '../errors/callwire-error.js';
import { AuthenticationError } from '../errors/classes.js';
import { callApi, type HttpContext } from '../http.js';
import type { ListenerSet } from '../kit/listener-set.js';
import type { LogFn } from '../kit/logger.js';
import { type SingleFlight, singleFlight } from '../single-flight.js';
import type { AuthChange, AuthChangeReason } from '../strategy.js';
import { isSessionRecord, type SessionRecord, sessionFromPayload } from './record.js';
import type { SessionStore } from './store.js';

/** After a failed background refresh, wait this long (ms) before trying again in the background. */
const BACKGROUND_RETRY_PAUSE = 5_000;

/** What every slot of one `createSessionAuth()` shares. */
export interface SessionContext {
  http: HttpContext;
  clock: () => number;
  store: SessionStore;
  /** Refresh this long (ms) before expiry, capped at half the token's lifetime. */
  refreshMargin: number;
  log: LogFn;
  /** The root's listeners: every slot's changes reach them, so one subscription sees everything. */
  rootListeners: ListenerSet<AuthChange>;
}

/** How a slot gets a brand-new session when it has none or its refresh token was refused. */
export type Acquire = () => Promise<{ payload: unknown; startedAt: number; reason: AuthChangeReason }>;

export function disposedError(): AuthenticationError {
  return new AuthenticationError({
    status: undefined,
    code: 'disposed',
    message: 'This auth strategy was disposed; create a new one',
  });
}

/**
 * One session (the login's, or one masquerade account's): the current record, its renewal, and
 * the rules that keep concurrent renewals from trampling each other.
 *
 * - Single-flight: every caller that needs a new token awaits the same promise.
 * - Generations: each stored change bumps `generation`; a renewal remembers the generation it
 *   started from and discards its result if anything newer was installed meanwhile (a logout, or
 *   another process writing the shared store) instead of overwriting it.
 */
export class SessionSlot {
  current: SessionRecord | undefined;
  /** Precomputed for the hot path. */
  header = '';
  refreshAt = 0;
  generation = 0;
  disposed = false;
  readonly key: string;
  readonly listeners: ListenerSet<AuthChange>;
  private rejected: string | undefined;
  private backgroundPauseUntil = 0;
  /** A refresh token the server refused: never sent again, the next renewal signs in directly. */
  private deadRefreshToken: string | undefined;
  private readonly flight: SingleFlight<SessionRecord>;
  private readonly ctx: SessionContext;
  private readonly acquire: Acquire;
  private readonly kindAccount: () => string | undefined;

  constructor(
    ctx: SessionContext,
    key: string,
    acquire: Acquire,
    listeners: ListenerSet<AuthChange>,
    kindAccount: () => string | undefined,
  ) {
    this.ctx = ctx;
    this.key = key;
    this.acquire = acquire;
    this.listeners = listeners;
    this.kindAccount = kindAccount;
    this.flight = singleFlight(() => this.renew());
  }

  install(record: SessionRecord): void {
    this.current = record;
    this.generation = record.generation;
    this.header = `Bearer ${record.token}`;
    const lifetime = Math.max(0, record.expiresAt - record.issuedAt);
    this.refreshAt = record.expiresAt - Math.min(this.ctx.refreshMargin, lifetime / 2);
  }

  /** A token usable right now, renewing first when there is none or it has expired. */
  async valid(): Promise<SessionRecord> {
    if (this.disposed) throw disposedError();
    const current = this.current;
    if (current !== undefined) {
      const now = this.ctx.clock();
      if (now < this.refreshAt) return current;
      if (now < current.expiresAt) {
        this.renewInBackground();
        return current;
      }
    }
    return this.flight();
  }

  /** Inside the margin the current token still works: renew without making the caller wait. */
  renewInBackground(): void {
    if (this.flight.current !== undefined || this.ctx.clock() < this.backgroundPauseUntil) return;
    this.flight().catch((error: unknown) => {
      // Without a pause every authorize() inside the margin would start another failing attempt.
      this.backgroundPauseUntil = this.ctx.clock() + BACKGROUND_RETRY_PAUSE;
      this.ctx.log('warn', 'Background token refresh failed; the next request will retry', {
        code: isCallwireError(error) ? error.code : undefined,
      });
    });
  }

  /** After the server refused `rejected`: reuse a newer token if one is already there, else renew once. */
  async refresh(rejected: string | undefined): Promise<boolean> {
    if (this.disposed) throw disposedError();
    const current = this.current;
    if (
      rejected !== undefined &&
      current !== undefined &&
      current.token !== rejected &&
      this.ctx.clock() < current.expiresAt
    ) {
      return true;
    }
    const inflight = this.flight.current;
    if (inflight !== undefined) {
      await inflight;
      return true;
    }
    this.rejected = rejected ?? current?.token;
    await this.flight();
    return true;
  }

  private async readStore(): Promise<SessionRecord | undefined> {
    try {
      const stored = await this.ctx.store.get(this.key);
      return isSessionRecord(stored) ? stored : undefined;
    } catch (error) {
      this.ctx.log('warn', 'Reading the session store failed', { message: String(error) });
      return undefined;
    }
  }

  private isFresh(record: SessionRecord): boolean {
    return this.ctx.clock() < record.expiresAt && record.token !== this.rejected;
  }

  private async renew(): Promise<SessionRecord> {
    try {
      // Another process (or an earlier run) may have stored a newer session: use it, don't refresh.
      const stored = await this.readStore();
      if (stored !== undefined && stored.generation > this.generation) {
        this.install(stored);
        this.emit('restore', stored);
        if (this.isFresh(stored)) return stored;
      }
      const generation = this.generation;
      const { payload, startedAt, reason } = await this.fetchSession();
      return await this.commit(generation, payload, startedAt, reason);
    } finally {
      this.rejected = undefined;
    }
  }

  private async fetchSession(): Promise<{ payload: unknown; startedAt: number; reason: AuthChangeReason }> {
    const base = this.current;
    const startedAt = this.ctx.clock();
    const refreshable =
      base !== undefined &&
      base.refreshToken.length > 0 &&
      base.refreshToken !== this.deadRefreshToken &&
      (base.refreshExpiresAt === undefined || startedAt < base.refreshExpiresAt);
    if (!refreshable) return this.acquire();
    try {
      const payload = await callApi(this.ctx.http, {
        method: 'POST',
        path: '/rest/auth/refresh',
        body: { refresh_token: base.refreshToken },
      });
      return { payload, startedAt, reason: 'refresh' };
    } catch (error) {
      // 401 = the refresh token is spent, expired or its family revoked (refresh_token_reused).
      // Exactly one fresh acquisition follows; if that fails too its error is the answer.
      if (!isCallwireError(error) || error.status !== 401) throw error;
      this.deadRefreshToken = base.refreshToken;
      this.ctx.log('warn', 'The refresh token was refused; signing in again', { code: error.code });
      return this.acquire();
    }
  }

  private async commit(
    generation: number,
    payload: unknown,
    startedAt: number,
    reason: AuthChangeReason,
  ): Promise<SessionRecord> {
    if (this.disposed) throw disposedError();
    const stored = await this.readStore();
    const newest = Math.max(this.generation, stored?.generation ?? 0);
    if (this.generation !== generation || newest > generation) {
      // Something newer was installed while this request was in flight: never overwrite it.
      this.ctx.log('debug', 'Discarding a session result that arrived after a newer one', { reason });
      if (stored !== undefined && stored.generation > this.generation) {
        this.install(stored);
        this.emit('restore', stored);
      }
      const current = this.current;
      if (current !== undefined && this.ctx.clock() < current.expiresAt) return current;
      throw new AuthenticationError({
        status: undefined,
        code: 'session_ended',
        message: 'The session ended (logout) while a token was being renewed',
      });
    }
    const record = sessionFromPayload(payload, startedAt, newest + 1);
    this.install(record);
    try {
      await this.ctx.store.set(this.key, record);
    } catch (error) {
      this.ctx.log('warn', 'Writing the session store failed; the session lives in memory only', {
        message: String(error),
      });
    }
    this.ctx.log('debug', `Session ${reason}`, { account: record.accountId, generation: record.generation });
    this.emit(reason, record);
    return record;
  }

  emit(reason: AuthChangeReason, session: SessionRecord | undefined): void {
    const change = {
      reason,
      kind: 'session' as const,
      accountId: session?.accountId ?? this.kindAccount(),
      session,
    };
    const onError = (error: unknown) =>
      this.ctx.log('warn', 'An onChange listener threw', { message: String(error) });
    this.listeners.emit(change, onError);
    if (this.listeners !== this.ctx.rootListeners) this.ctx.rootListeners.emit(change, onError);
  }

  /** Forgets the session here and in the store; returns the record that was current. */
  async clear(): Promise<SessionRecord | undefined> {
    // A session resumed from the store but not used yet still has to be revoked.
    const previous = this.current ?? (await this.readStore());
    this.generation += 1;
    this.current = undefined;
    this.header = '';
    this.refreshAt = 0;
    try {
      await this.ctx.store.delete(this.key);
    } catch (error) {
      this.ctx.log('warn', 'Deleting from the session store failed', { message: String(error) });
    }
    return previous;
  }
}
