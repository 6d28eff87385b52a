import type { Selectable } from 'kysely';
import type { SipConnectionTable } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import { AccountOwnedStore } from './account-owned-store.js';

export type SipConnectionRow = Selectable<SipConnectionTable>;

/** The SQL of SIP connections (`sip_connection`): only live connections are ever found. */
export class SipConnectionStore extends AccountOwnedStore<'sip_connection'> {
  constructor(db: TelephonyDb) {
    super(db, 'sip_connection');
  }
}
