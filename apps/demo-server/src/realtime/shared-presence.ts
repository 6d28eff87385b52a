import { randomUUID } from 'node:crypto';
import type { EventsDb } from '../events/event-store.js';

/**
 * `wss_online` across server instances sharing PostgreSQL. Each instance writes a row per user it
 * has sockets for (when the user's first socket arrives, deleted with the last) and refreshes its
 * rows' `expires_on` every third of `ttlMs`; an instance that dies stops refreshing and its users
 * fall offline after at most `ttlMs`. This instance's own sockets are counted in memory, so its
 * answer never waits for its own writes.
 */
export class SharedPresence {
  readonly instanceId = randomUUID();
  readonly #db: EventsDb;
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
    this.#db = options.db;
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
      online
        ? this.#db
            .insertInto('ws_presence')
            .values({ instance_id: instance, user_id: userId, expires_on: this.#expires() })
            .onConflict((oc) =>
              oc.columns(['instance_id', 'user_id']).doUpdateSet({ expires_on: this.#expires() }),
            )
            .execute()
        : this.#db
            .deleteFrom('ws_presence')
            .where('instance_id', '=', instance)
            .where('user_id', '=', userId)
            .execute(),
    );
  }

  /** Whether another instance has a live socket of `userId`. */
  async elsewhere(userId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('ws_presence')
      .select('user_id')
      .where('user_id', '=', userId)
      .where('instance_id', '!=', this.instanceId)
      .where('expires_on', '>', new Date(this.#now()).toISOString())
      .executeTakeFirst();
    return row !== undefined;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#write(() =>
        this.#db
          .updateTable('ws_presence')
          .set({ expires_on: this.#expires() })
          .where('instance_id', '=', this.instanceId)
          .execute(),
      );
    }, this.#ttlMs / 3);
    this.#timer.unref?.();
  }

  /** Stops refreshing and removes this instance's rows (its sockets are closed by now). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#write(() =>
      this.#db.deleteFrom('ws_presence').where('instance_id', '=', this.instanceId).execute(),
    );
    await this.#queue;
  }
}
