import type { Selectable } from 'kysely';
import type { MessagingProfileTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import { AccountOwnedStore } from './account-owned-store.js';

export type MessagingProfileRow = Selectable<MessagingProfileTable>;

/**
 * The SQL of messaging profiles (`messaging_profile`) and their sticky-sender pairings, over the
 * database or one transaction. Only live profiles are found, except by {@link exists}.
 */
export class MessagingProfileStore extends AccountOwnedStore<'messaging_profile'> {
  constructor(db: TelephonyDb) {
    super(db, 'messaging_profile');
  }

  /** Whether profile `uuid` was ever made, deleted or not (the demo data is made once). */
  async exists(uuid: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('messaging_profile')
      .select('uuid')
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The callback URL of a live profile, whichever account it belongs to (a message names it). */
  async callbackUrl(uuid: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('messaging_profile')
      .select('callback_url')
      .where('uuid', '=', uuid)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    return row?.callback_url ?? null;
  }

  /** The number of the profile's pool that recipient `to` got before, if any. */
  async stickySender(profileId: string, to: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sticky_sender')
      .select('from_tn')
      .where('profile_id', '=', profileId)
      .where('to_tn', '=', to)
      .executeTakeFirst();
    return row?.from_tn;
  }

  /**
   * Pairs recipient `to` with number `from` of the profile's pool; returns the number the pairing
   * keeps. An upsert, so that two first messages to one recipient racing on PostgreSQL cannot
   * collide on the key: the winner's sender is the one both keep.
   */
  async keepStickySender(profileId: string, to: string, from: string, now: string): Promise<string> {
    const kept = await this.db
      .insertInto('sticky_sender')
      .values({ profile_id: profileId, to_tn: to, from_tn: from, created_on: now })
      .onConflict((oc) => oc.columns(['profile_id', 'to_tn']).doUpdateSet({ from_tn: from }))
      .returning('from_tn')
      .executeTakeFirstOrThrow();
    return kept.from_tn;
  }

  /** Forgets which number each recipient got from the profile's pool. */
  async forgetStickySenders(profileId: string): Promise<void> {
    await this.db.deleteFrom('sticky_sender').where('profile_id', '=', profileId).execute();
  }
}
