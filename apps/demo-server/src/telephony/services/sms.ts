import { createHash, randomUUID } from 'node:crypto';
import type { Sms, SmsSearchRequest } from '@callwire/types';
import type { Selectable } from 'kysely';
import { preparedStatement } from '../../db/prepared.js';
import { emitBalance } from '../account-events.js';
import type { SmsTable, TelephonyTables } from '../db/tables.js';
import type { TelephonyDb, TelephonyDeps } from '../deps.js';
import { insufficientBalance, invalidField, notFound } from '../errors.js';
import { listOf, type Page, pagedSearch } from '../list.js';
import { smsCostMicros } from '../money.js';
import { countSegments } from '../segments.js';
import { smsOut } from '../serialize.js';
import { planSms } from '../sim/sms.js';
import type { Callback } from '../sms-callbacks.js';
import { emitSms, insertInboundSms, threadId } from '../sms-records.js';
import { iso } from '../time.js';
import { messagingProfileRow } from './messaging-profiles.js';

export interface SendSmsInput {
  from?: string | undefined;
  from_pool?: string | undefined;
  to: string;
  message: string;
  custom_callback_url?: string | undefined;
}

export interface MessagingProfileInput {
  name: string;
  callback_url?: string | null | undefined;
  number_pool_enable: boolean;
  sticky_sender: boolean;
}

/** The columns of an SMS row, in the order {@link insertSms} takes their values. */
const SMS_COLUMNS = [
  'uuid',
  'account_id',
  'type',
  'direction',
  'state',
  'from_tn',
  'to_tn',
  'message',
  'thread',
  'delivered',
  'segments',
  'cost_micros',
  'messaging_profile',
  'custom_callback_url',
  'error',
  'created_on',
  'modified_on',
  'sent_on',
  'delivered_on',
] as const satisfies readonly (keyof SmsTable)[];

// The send path's statements, compiled once per database: building a Kysely query costs about as
// much as running it on SQLite.
const insertSms = preparedStatement<TelephonyTables, never, unknown[]>((db) =>
  db.insertInto('sms').values(Object.fromEntries(SMS_COLUMNS.map((c) => [c, null])) as never),
);
const senderLease = preparedStatement<
  TelephonyTables,
  { tn: string; sms: number; messaging_profile: string | null },
  [string, string]
>((db) =>
  db
    .selectFrom('tn_lease')
    .select(['tn', 'sms', 'messaging_profile'])
    .where('account_id', '=', '')
    .where('tn', '=', '')
    .where('deleted_on', 'is', null),
);

/** SMS through the API: sending (from a number or a pool), inbound SMS, reading; the lifecycle is `sim/sms.ts`. */
export class SmsService {
  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  async send(accountId: string, input: SendSmsInput): Promise<Sms> {
    const { segments } = countSegments(input.message);
    const cost = smsCostMicros(segments);
    const notes: Callback[] = [];
    const sms = await this.deps.events.transaction(async (trx, emit, schedule) => {
      const { from, profile } = await this.#sender(trx, accountId, input);
      const nowMs = this.deps.sim.now();
      const now = iso(nowMs);
      const row: Selectable<SmsTable> = {
        uuid: randomUUID(),
        account_id: accountId,
        type: 'smso',
        direction: 'out',
        state: 'created',
        from_tn: from,
        to_tn: input.to,
        message: input.message,
        thread: threadId(from, input.to),
        delivered: 0,
        segments,
        cost_micros: cost,
        messaging_profile: profile,
        custom_callback_url: input.custom_callback_url ?? null,
        error: null,
        created_on: now,
        modified_on: now,
        sent_on: null,
        delivered_on: null,
      };
      await insertSms(trx, ...SMS_COLUMNS.map((c) => row[c]));
      // Check and debit in one conditional UPDATE inside this transaction: concurrent sends can
      // never overdraw, and a refused send rolls back, leaving no SMS and no event behind. It comes
      // after the insert so that the account's row is locked (PostgreSQL) for as short a time as
      // possible: concurrent sends of one account queue on it until commit.
      const account = await this.deps.ledger.debit(trx, accountId, cost);
      if (account === undefined) throw insufficientBalance(cost);
      const out = smsOut(row);
      const event = await emitSms(emit, accountId, 'sms.created', out);
      await this.deps.callbacks.note(trx, notes, row, event);
      await emitBalance(emit, account);
      planSms(schedule, { accountId, uuid: row.uuid, to: row.to_tn, sentAtMs: nowMs });
      return out;
    });
    this.deps.callbacks.post(notes);
    return sms;
  }

  async #sender(
    trx: TelephonyDb,
    accountId: string,
    input: SendSmsInput,
  ): Promise<{ from: string; profile: string | null }> {
    if (input.from !== undefined) {
      const [lease] = await senderLease(trx, accountId, input.from);
      if (lease === undefined) throw invalidField('body.from', 'is not a number of this account');
      if (Number(lease.sms) !== 1) throw invalidField('body.from', 'does not have SMS enabled');
      return { from: lease.tn, profile: lease.messaging_profile };
    }
    const profileId = input.from_pool as string;
    const profile = await messagingProfileRow(trx, accountId, profileId);
    const pool = (
      await trx
        .selectFrom('tn_lease')
        .select('tn')
        .where('account_id', '=', accountId)
        .where('messaging_profile', '=', profileId)
        .where('sms', '=', 1)
        .where('deleted_on', 'is', null)
        .orderBy('tn')
        .execute()
    ).map((r) => r.tn);
    if (pool.length === 0)
      throw invalidField('body.from_pool', 'the messaging profile has no SMS-enabled numbers');
    if (Number(profile.number_pool_enable) !== 1 && pool.length > 1) {
      // Without pooling the profile sends from its first number only.
      pool.length = 1;
    }
    if (Number(profile.sticky_sender) === 1) {
      const sticky = await trx
        .selectFrom('sticky_sender')
        .select('from_tn')
        .where('profile_id', '=', profileId)
        .where('to_tn', '=', input.to)
        .executeTakeFirst();
      if (sticky !== undefined && pool.includes(sticky.from_tn))
        return { from: sticky.from_tn, profile: profileId };
      // An upsert, so that two first messages to one recipient racing on PostgreSQL cannot
      // collide on the key; the winner's sender is the one both keep.
      const pick1 = pick(pool, input.to);
      const kept = await trx
        .insertInto('sticky_sender')
        .values({ profile_id: profileId, to_tn: input.to, from_tn: pick1, created_on: this.#now() })
        .onConflict((oc) => oc.columns(['profile_id', 'to_tn']).doUpdateSet({ from_tn: pick1 }))
        .returning('from_tn')
        .executeTakeFirstOrThrow();
      return { from: kept.from_tn, profile: profileId };
    }
    this.#rotation = (this.#rotation + 1) % 1_000_000;
    return { from: pool[this.#rotation % pool.length] as string, profile: profileId };
  }
  #rotation = -1;

  /** `POST /rest/simulate/sms`: the outside world texts one of this account's numbers. */
  async simulateInbound(
    accountId: string,
    input: { from: string; to: string; message: string },
  ): Promise<Sms> {
    const notes: Callback[] = [];
    const sms = await this.deps.events.transaction(async (trx, emit) => {
      const lease = await trx
        .selectFrom('tn_lease')
        .select(['sms', 'messaging_profile'])
        .where('account_id', '=', accountId)
        .where('tn', '=', input.to)
        .where('deleted_on', 'is', null)
        .executeTakeFirst();
      if (lease === undefined) throw invalidField('body.to', 'is not a number of this account');
      if (Number(lease.sms) !== 1) throw invalidField('body.to', 'does not have SMS enabled');
      return insertInboundSms(trx, emit, this.deps.callbacks, notes, {
        accountId,
        from: input.from,
        to: input.to,
        message: input.message,
        profile: lease.messaging_profile,
        now: this.#now(),
      });
    });
    this.deps.callbacks.post(notes);
    return sms;
  }

  async get(accountId: string, uuid: string): Promise<Sms> {
    const row = await this.deps.db
      .selectFrom('sms')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (row === undefined) throw notFound('SMS');
    return smsOut(row);
  }

  async search(accountId: string, body: SmsSearchRequest & { from?: string; to?: string }, page: Page) {
    let q = this.deps.db.selectFrom('sms').where('account_id', '=', accountId);
    if (body.direction !== undefined) q = q.where('direction', '=', body.direction);
    if (body.from !== undefined) q = q.where('from_tn', '=', body.from);
    if (body.to !== undefined) q = q.where('to_tn', '=', body.to);
    if (body.state !== undefined) q = q.where('state', '=', body.state);
    if (body.created_on_from !== undefined)
      q = q.where('created_on', '>=', iso(Date.parse(body.created_on_from)));
    if (body.created_on_to !== undefined)
      q = q.where('created_on', '<=', iso(Date.parse(body.created_on_to)));
    const { total, rows } = await pagedSearch(
      q,
      [
        ['created_on', 'desc'],
        ['uuid', 'asc'],
      ],
      page,
    );
    return listOf(page, total, rows.map(smsOut));
  }
}

/** A stable choice from the pool for one recipient. */
function pick(pool: readonly string[], to: string): string {
  const h = createHash('sha256').update(to).digest().readUInt32BE(0);
  return pool[h % pool.length] as string;
}
