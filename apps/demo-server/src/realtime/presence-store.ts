import type { EventsDb } from '../events/event-store.js';

/**
 * The SQL of `ws_presence`: one row per (instance, user) with a live socket there, kept alive by
 * its instance refreshing `expires_on`.
 */
export class PresenceStore {
  readonly #db: EventsDb;

  constructor(db: EventsDb) {
    this.#db = db;
  }

  /** Records (or refreshes) that `instanceId` has a socket of `userId`, until `expiresOn`. */
  async upsert(instanceId: string, userId: string, expiresOn: string): Promise<void> {
    await this.#db
      .insertInto('ws_presence')
      .values({ instance_id: instanceId, user_id: userId, expires_on: expiresOn })
      .onConflict((oc) => oc.columns(['instance_id', 'user_id']).doUpdateSet({ expires_on: expiresOn }))
      .execute();
  }

  async remove(instanceId: string, userId: string): Promise<void> {
    await this.#db
      .deleteFrom('ws_presence')
      .where('instance_id', '=', instanceId)
      .where('user_id', '=', userId)
      .execute();
  }

  /** Whether an instance other than `instanceId` has a socket of `userId` that has not expired at `nowIso`. */
  async elsewhere(userId: string, instanceId: string, nowIso: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('ws_presence')
      .select('user_id')
      .where('user_id', '=', userId)
      .where('instance_id', '!=', instanceId)
      .where('expires_on', '>', nowIso)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Extends every row of `instanceId` until `expiresOn`. */
  async refresh(instanceId: string, expiresOn: string): Promise<void> {
    await this.#db
      .updateTable('ws_presence')
      .set({ expires_on: expiresOn })
      .where('instance_id', '=', instanceId)
      .execute();
  }

  /** Removes every row of `instanceId` (it is stopping). */
  async removeInstance(instanceId: string): Promise<void> {
    await this.#db.deleteFrom('ws_presence').where('instance_id', '=', instanceId).execute();
  }
}
