import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.js';
import { isoTime } from '../db/time.js';
import type { IdempotencyTable } from '../identity/tables.js';

type IdempotencyRow = Selectable<IdempotencyTable>;

/** The SQL of `idempotency`: one record per (principal, key), pending until its answer is stored. */
export class IdempotencyStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  find(principal: string, key: string): Promise<IdempotencyRow | undefined> {
    return this.#db
      .selectFrom('idempotency')
      .selectAll()
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirst();
  }

  /**
   * Inserts a pending record unless one exists: a primary-key insert, so of two concurrent requests
   * exactly one wins on both dialects. True when this one did.
   */
  async claim(
    principal: string,
    key: string,
    bodyHash: string,
    now: number,
    expiresMs: number,
  ): Promise<boolean> {
    const inserted = await this.#db
      .insertInto('idempotency')
      .values({
        principal,
        key,
        body_hash: bodyHash,
        state: 'pending',
        status: null,
        headers: null,
        body: null,
        created_on: isoTime(now),
        expires_on: isoTime(expiresMs),
      })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** Stores the answer of a pending record (`headers` as JSON). */
  async complete(
    principal: string,
    key: string,
    status: number,
    headers: string,
    body: string,
  ): Promise<void> {
    await this.#db
      .updateTable('idempotency')
      .set({ state: 'done', status, headers, body })
      .where('principal', '=', principal)
      .where('key', '=', key)
      .execute();
  }

  async delete(principal: string, key: string): Promise<void> {
    await this.#db
      .deleteFrom('idempotency')
      .where('principal', '=', principal)
      .where('key', '=', key)
      .execute();
  }

  /** Deletes the records expired at `now`. */
  async deleteExpired(now: number): Promise<void> {
    await this.#db.deleteFrom('idempotency').where('expires_on', '<=', isoTime(now)).execute();
  }
}
