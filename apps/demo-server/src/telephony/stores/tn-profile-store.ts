import type { Selectable } from 'kysely';
import type { TnProfileTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import { AccountOwnedStore } from './account-owned-store.js';

export type TnProfileRow = Selectable<TnProfileTable>;

/** The SQL of TN profiles (`tn_profile`, caller screening lists): only live profiles are ever found. */
export class TnProfileStore extends AccountOwnedStore<'tn_profile'> {
  constructor(db: TelephonyDb) {
    super(db, 'tn_profile');
  }

  /** The screening lists of a live profile, whichever account it belongs to (a lease points to it). */
  screening(uuid: string) {
    return this.db
      .selectFrom('tn_profile')
      .select(['blacklist', 'whitelist'])
      .where('uuid', '=', uuid)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
  }
}
