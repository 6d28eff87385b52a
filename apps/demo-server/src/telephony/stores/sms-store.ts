import type { Selectable } from 'kysely';
import { preparedStatement } from '../../db/prepared.js';
import type { SmsTable, TelephonyTables } from '../db/tables.js';
import type { TelephonyDb } from '../deps.js';
import type { Page } from '../list.js';
import { NEWEST_FIRST, pagedSearch } from './paging.js';

export type SmsRow = Selectable<SmsTable>;

/** A live number as a message sees it: whether it has SMS on and the profile it sends with. */
export interface SmsNumber {
  tn: string;
  sms: number;
  messaging_profile: string | null;
}

/** Filters of an SMS search; each one left out matches every message. Times are ISO, inclusive. */
export interface SmsFilter {
  direction?: SmsRow['direction'] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  state?: string | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
}

/**
 * A message row as the insert statements are compiled: placeholders whose places
 * {@link rowValues} fills, in this order of columns.
 */
const SMS_VALUES = {
  uuid: '',
  account_id: '',
  type: 'smso',
  direction: 'out',
  state: '',
  from_tn: '',
  to_tn: '',
  message: '',
  thread: '',
  delivered: 0,
  segments: 0,
  cost_micros: 0,
  messaging_profile: null,
  custom_callback_url: null,
  error: null,
  created_on: '',
  modified_on: '',
  sent_on: null,
  delivered_on: null,
} as const;

/**
 * `r`'s values in the order of {@link SMS_VALUES}' columns; `profile` takes the place of the
 * messaging profile (the profile itself, or the parameters of the statement that finds it).
 */
function rowValues(r: SmsRow, profile: readonly unknown[]): unknown[] {
  return [
    r.uuid,
    r.account_id,
    r.type,
    r.direction,
    r.state,
    r.from_tn,
    r.to_tn,
    r.message,
    r.thread,
    r.delivered,
    r.segments,
    r.cost_micros,
    ...profile,
    r.custom_callback_url,
    r.error,
    r.created_on,
    r.modified_on,
    r.sent_on,
    r.delivered_on,
  ];
}

// Every send and every step of a message's lifecycle runs these: they are compiled once per
// database (building a Kysely query costs about as much as running it on SQLite).
const insertSms = preparedStatement<TelephonyTables, never, unknown[]>((db) =>
  db.insertInto('sms').values(SMS_VALUES),
);
/** What a send from a number learns of it with its insert (see {@link SmsStore.insertFromNumber}). */
export interface SendingNumber {
  /** The live lease's SMS flag (1 on); null when the account has no live lease of the number. */
  lease_sms: number | null;
  messaging_profile: string | null;
}

// A send from one of the account's numbers: the row takes the number's messaging profile, and the
// number's SMS flag comes back with it, so the send needs no read of the number first.
const insertFromNumber = preparedStatement<TelephonyTables, SendingNumber, unknown[]>((db) =>
  db
    .insertInto('sms')
    .values({
      ...SMS_VALUES,
      messaging_profile: (eb) =>
        eb
          .selectFrom('tn_lease')
          .select('messaging_profile')
          .where('account_id', '=', '')
          .where('tn', '=', '')
          .where('deleted_on', 'is', null),
    })
    .returning((eb) => [
      'messaging_profile',
      eb
        .selectFrom('tn_lease as l')
        .select('l.sms')
        .whereRef('l.account_id', '=', 'sms.account_id')
        .whereRef('l.tn', '=', 'sms.from_tn')
        .where('l.deleted_on', 'is', null)
        .as('lease_sms'),
    ]),
);
const accountNumber = preparedStatement<TelephonyTables, SmsNumber, [string, string]>((db) =>
  db
    .selectFrom('tn_lease')
    .select(['tn', 'sms', 'messaging_profile'])
    .where('account_id', '=', '')
    .where('tn', '=', '')
    .where('deleted_on', 'is', null),
);
/** Where an on-net message arrives: the live lease of a number, whichever account holds it. */
export interface OnNetNumber {
  account_id: string;
  sms: number;
  messaging_profile: string | null;
}
// Every delivered message looks its destination up (is it a number of this platform?).
const onNetNumber = preparedStatement<TelephonyTables, OnNetNumber, [string]>((db) =>
  db
    .selectFrom('tn_lease')
    .select(['account_id', 'sms', 'messaging_profile'])
    .where('tn', '=', '')
    .where('deleted_on', 'is', null),
);
const markSending = preparedStatement<TelephonyTables, never, [string, string, string, string]>((db) =>
  db.updateTable('sms').set({ state: '', modified_on: '' }).where('uuid', '=', '').where('state', '=', ''),
);

/** What a lifecycle step changes in a message. */
export type SmsChange = Partial<SmsRow>;

/** `UPDATE sms SET <the columns of change> WHERE uuid = ? AND state IN (<from>) RETURNING *`. */
function moveStatement(change: SmsChange, from: readonly string[]) {
  return preparedStatement<TelephonyTables, SmsRow, unknown[]>((db) =>
    db.updateTable('sms').set(change).where('uuid', '=', '').where('state', 'in', from).returningAll(),
  );
}
/** One statement per shape of change (which columns change, how many states it moves from). */
const moveStatements = new Map<string, ReturnType<typeof moveStatement>>();

/**
 * The SQL of messages (`sms`) and of the numbers they go from and to (the SMS side of `tn_lease`),
 * over the database or one transaction (`new SmsStore(trx)`).
 */
export class SmsStore {
  readonly #db: TelephonyDb;

  constructor(db: TelephonyDb) {
    this.#db = db;
  }

  async insert(r: SmsRow): Promise<void> {
    await insertSms(this.#db, ...rowValues(r, [r.messaging_profile]));
  }

  /**
   * Inserts `r`, sent from the account's number `r.from_tn`, with that number's messaging profile
   * (whatever `r.messaging_profile` says). Says whether the number is a live one of the account with
   * SMS on; when it is not, the caller must fail its transaction, which takes the row back out.
   */
  async insertFromNumber(r: SmsRow): Promise<SendingNumber> {
    // The profile's lookup takes the account and the number in the profile's place.
    const [number] = await insertFromNumber(this.#db, ...rowValues(r, [r.account_id, r.from_tn]));
    return number ?? { lease_sms: null, messaging_profile: null };
  }

  /** The account's live number `tn`, if any. */
  async accountNumber(accountId: string, tn: string): Promise<SmsNumber | undefined> {
    const [row] = await accountNumber(this.#db, accountId, tn);
    return row;
  }

  /** The live number `tn` of whichever account leases it, if any: where an on-net message arrives. */
  async onNetNumber(tn: string): Promise<OnNetNumber | undefined> {
    const [row] = await onNetNumber(this.#db, tn);
    return row;
  }

  /** The account's live SMS numbers on messaging profile `profileId`, by number: its sending pool. */
  async pool(accountId: string, profileId: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('tn_lease')
      .select('tn')
      .where('account_id', '=', accountId)
      .where('messaging_profile', '=', profileId)
      .where('sms', '=', 1)
      .where('deleted_on', 'is', null)
      .orderBy('tn')
      .execute();
    return rows.map((r) => r.tn);
  }

  get(accountId: string, uuid: string): Promise<SmsRow | undefined> {
    return this.#db
      .selectFrom('sms')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /** One page of the account's messages, newest first, with the total. */
  search(accountId: string, filter: SmsFilter, page: Page) {
    let q = this.#db.selectFrom('sms').where('account_id', '=', accountId);
    if (filter.direction !== undefined) q = q.where('direction', '=', filter.direction);
    if (filter.from !== undefined) q = q.where('from_tn', '=', filter.from);
    if (filter.to !== undefined) q = q.where('to_tn', '=', filter.to);
    if (filter.state !== undefined) q = q.where('state', '=', filter.state);
    if (filter.createdFrom !== undefined) q = q.where('created_on', '>=', filter.createdFrom);
    if (filter.createdTo !== undefined) q = q.where('created_on', '<=', filter.createdTo);
    return pagedSearch(q, NEWEST_FIRST, page);
  }

  /** A created message is being sent (a state visible through GET only). */
  async markSending(uuid: string, now: string): Promise<void> {
    await markSending(this.#db, 'sending', now, uuid, 'created');
  }

  /** Moves message `uuid` from one of the states `from` by `change`; the row after, if it moved. */
  async move(uuid: string, change: SmsChange, from: readonly string[]): Promise<SmsRow | undefined> {
    const key = `${Object.keys(change).join(',')}|${from.length}`;
    let statement = moveStatements.get(key);
    if (statement === undefined) {
      statement = moveStatement(change, from);
      moveStatements.set(key, statement);
    }
    const [row] = await statement(this.#db, ...Object.values(change), uuid, ...from);
    return row;
  }
}
