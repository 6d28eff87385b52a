import { randomUUID } from 'node:crypto';
import type { EventsDb } from '../events/event-store.js';
import { PresenceStore } from './presence-store.js';

/**
 * `wss_online` across server instances sharing PostgreSQL. Each instance writes a row per user it
 * has sockets for (when the user's first socket arrives, deleted with the last) and refreshes its
 * rows' `expires_on` every third of `ttlMs`; an instance that dies stops refreshing and its users
 * fall offline after at most `ttlMs`. This instance's own sockets are counted in memory, so its
 * answer never waits for its own writes.
 */
export class SharedPresence {
  readonly instanceId = randomUUID();
  readonly #store: PresenceStore;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #logError: (error: unknown, message: string) => void;
  /** Writes run one after another, so a user's arrival and departure land in order. */
  #queue: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: {
    db: EventsDb;
    now: () => number;
    /**
     * How long a row outlives its instance's last refresh.
     * @default 15000
     */
    ttlMs?: number;
    logError: (error: unknown, message: string) => void;
  }) {
    this.#store = new PresenceStore(options.db);
    this.#now = options.now;
    this.#ttlMs = options.ttlMs ?? 15_000;
    this.#logError = options.logError;
  }

  #expires(): string {
    return new Date(this.#now() + this.#ttlMs).toISOString();
  }

  #write(work: () => Promise<unknown>): void {
    this.#queue = this.#queue
      .then(work)
      .then(() => undefined)
      .catch((error: unknown) => this.#logError(error, 'websocket presence could not be written'));
  }

  /** This instance's first socket of `userId` arrived (`online`), or its last one left. */
  changed(userId: string, online: boolean): void {
    const instance = this.instanceId;
    this.#write(() =>
      online ? this.#store.upsert(instance, userId, this.#expires()) : this.#store.remove(instance, userId),
    );
  }

  /** Whether another instance has a live socket of `userId`. */
  async elsewhere(userId: string): Promise<boolean> {
    return this.#store.elsewhere(userId, this.instanceId, new Date(this.#now()).toISOString());
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#write(() => this.#store.refresh(this.instanceId, this.#expires()));
    }, this.#ttlMs / 3);
    this.#timer.unref?.();
  }

  /** Stops refreshing and removes this instance's rows (its sockets are closed by now). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#write(() => this.#store.removeInstance(this.instanceId));
    await this.#queue;
  }
}
