import { createHash } from 'node:crypto';
import type { Sms, SmsSearchRequest } from '@callwire/types';
import { uuidV7 } from '../../db/uuid-v7.js';
import { emitBalance } from '../account-events.js';
import type { TelephonyDb, TelephonyDeps } from '../deps.js';
import { insufficientBalance, invalidField, notFound } from '../errors.js';
import { listOf, type Page } from '../list.js';
import { smsCostMicros } from '../money.js';
import { countSegments } from '../segments.js';
import { smsOut } from '../serialize.js';
import { planSms } from '../sim/sms.js';
import type { Callback } from '../sms-callbacks.js';
import { emitSms, insertInboundSms, threadId } from '../sms-records.js';
import { MessagingProfileStore } from '../stores/messaging-profile-store.js';
import { type SmsRow, SmsStore } from '../stores/sms-store.js';
import { iso } from '../time.js';
import { messagingProfileRow } from './messaging-profiles.js';

export interface SendSmsInput {
  from?: string | undefined;
  from_pool?: string | undefined;
  to: string;
  message: string;
  custom_callback_url?: string | undefined;
}

/** SMS through the API: sending (from a number or a pool), inbound SMS, reading; the lifecycle is `sim/sms.ts`. */
export class SmsService {
  readonly deps: TelephonyDeps;
  readonly #sms: SmsStore;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.#sms = new SmsStore(deps.db);
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  async send(accountId: string, input: SendSmsInput): Promise<Sms> {
    const { segments } = countSegments(input.message);
    const cost = smsCostMicros(segments);
    const notes: Callback[] = [];
    const sms = await this.deps.events.transaction(async (trx, emit, schedule) => {
      const store = new SmsStore(trx);
      // From a pool the number is chosen first; from a number, the insert itself checks it.
      const pooled =
        input.from === undefined ? await this.#fromPool(trx, store, accountId, input) : undefined;
      const from = input.from ?? (pooled?.from as string);
      const nowMs = this.deps.sim.now();
      const now = iso(nowMs);
      const row: SmsRow = {
        // Time-ordered: the sms table and the steps keyed by this id take it at their index's end.
        uuid: uuidV7(nowMs),
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
        messaging_profile: pooled?.profile ?? null,
        custom_callback_url: input.custom_callback_url ?? null,
        error: null,
        created_on: now,
        modified_on: now,
        sent_on: null,
        delivered_on: null,
      };
      if (pooled !== undefined) await store.insert(row);
      else {
        // One statement instead of a read of the number and then the insert; a refused number
        // fails the transaction, which takes the row back out.
        const number = await store.insertFromNumber(row);
        if (number.lease_sms === null) throw invalidField('body.from', 'is not a number of this account');
        if (Number(number.lease_sms) !== 1) throw invalidField('body.from', 'does not have SMS enabled');
        row.messaging_profile = number.messaging_profile;
      }
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

  async #fromPool(
    trx: TelephonyDb,
    store: SmsStore,
    accountId: string,
    input: SendSmsInput,
  ): Promise<{ from: string; profile: string | null }> {
    const profileId = input.from_pool as string;
    const profile = await messagingProfileRow(trx, accountId, profileId);
    const pool = await store.pool(accountId, profileId);
    if (pool.length === 0)
      throw invalidField('body.from_pool', 'the messaging profile has no SMS-enabled numbers');
    if (Number(profile.number_pool_enable) !== 1 && pool.length > 1) {
      // Without pooling the profile sends from its first number only.
      pool.length = 1;
    }
    if (Number(profile.sticky_sender) === 1) {
      const profiles = new MessagingProfileStore(trx);
      const sticky = await profiles.stickySender(profileId, input.to);
      if (sticky !== undefined && pool.includes(sticky)) return { from: sticky, profile: profileId };
      const kept = await profiles.keepStickySender(profileId, input.to, pick(pool, input.to), this.#now());
      return { from: kept, profile: profileId };
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
      const lease = await new SmsStore(trx).accountNumber(accountId, input.to);
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
    const row = await this.#sms.get(accountId, uuid);
    if (row === undefined) throw notFound('SMS');
    return smsOut(row);
  }

  async search(accountId: string, body: SmsSearchRequest & { from?: string; to?: string }, page: Page) {
    const { total, rows } = await this.#sms.search(
      accountId,
      {
        direction: body.direction,
        from: body.from,
        to: body.to,
        state: body.state,
        createdFrom: body.created_on_from === undefined ? undefined : iso(Date.parse(body.created_on_from)),
        createdTo: body.created_on_to === undefined ? undefined : iso(Date.parse(body.created_on_to)),
      },
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
