import { createHash, randomUUID } from 'node:crypto';
import type { Sms, SmsSearchRequest } from '@callwire/types';
import type { Selectable } from 'kysely';
import type { MessagingProfileTable, SmsTable } from './db/tables.js';
import type { Emit, TelephonyDb, TelephonyDeps } from './deps.js';
import { insufficientBalance, invalidField, notFound } from './errors.js';
import { deleteAndDetachLeases } from './lease-events.js';
import { accountPage, count, listOf, type Page } from './list.js';
import { smsCostMicros } from './money.js';
import { emitBalance } from './numbers-service.js';
import { countSegments } from './segments.js';
import { messagingProfileOut, smsOut } from './serialize.js';
import { iso } from './time.js';
import { lastFour } from './tn-pattern.js';

/** Simulated SMS lifecycle delays (simulated ms after the send). */
export const SMS_SENDING_AFTER_MS = 100;
export const SMS_SENT_AFTER_MS = 1_000;
export const SMS_DELIVERED_AFTER_MS = 3_000;

/** How long a messaging profile's callback_url is cached. */
const PROFILE_CACHE_MS = 5_000;

interface Callback {
  url: string;
  event: unknown;
}

/** Destinations the simulated carrier cannot deliver to: the same suffix as an unallocated call. */
function undeliverable(to: string): string | undefined {
  return lastFour(to) === '0404'
    ? 'unallocated number: the carrier could not deliver the message'
    : undefined;
}

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

/** Messaging: profiles, sending (from a number or a pool), the simulated lifecycle, inbound SMS. */
export class MessagingService {
  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
  }

  #now(): string {
    return iso(this.deps.scheduler.now());
  }

  // ---- sending ---------------------------------------------------------------------------------

  async send(accountId: string, input: SendSmsInput): Promise<Sms> {
    const { segments } = countSegments(input.message);
    const cost = smsCostMicros(segments);
    const notes: Callback[] = [];
    const sms = await this.deps.events.transaction(async (trx, emit) => {
      const { from, profile } = await this.#sender(trx, accountId, input);
      // Check and debit in one conditional UPDATE inside this transaction: concurrent sends can
      // never overdraw, and a refused send leaves no SMS and no event behind.
      const account = await this.deps.ledger.debit(trx, accountId, cost);
      if (account === undefined) throw insufficientBalance(cost);
      const now = this.#now();
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
      await trx.insertInto('sms').values(row).execute();
      const out = smsOut(row);
      const event = await emitSms(emit, accountId, 'sms.created', out);
      await this.#noteCallback(trx, notes, row, event);
      await emitBalance(emit, account);
      return out;
    });
    this.#notify(notes);
    this.#simulate(accountId, sms.uuid, sms.to);
    return sms;
  }

  async #sender(
    trx: TelephonyDb,
    accountId: string,
    input: SendSmsInput,
  ): Promise<{ from: string; profile: string | null }> {
    if (input.from !== undefined) {
      const lease = await trx
        .selectFrom('tn_lease')
        .select(['tn', 'sms', 'messaging_profile'])
        .where('account_id', '=', accountId)
        .where('tn', '=', input.from)
        .where('deleted_on', 'is', null)
        .executeTakeFirst();
      if (lease === undefined) throw invalidField('body.from', 'is not a number of this account');
      if (Number(lease.sms) !== 1) throw invalidField('body.from', 'does not have SMS enabled');
      return { from: lease.tn, profile: lease.messaging_profile };
    }
    const profileId = input.from_pool as string;
    const profile = await this.#profileRow(trx, accountId, profileId);
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

  /** created → sending → sent → delivered, or → failed, each change an event. */
  /** Picks up an outbound SMS left unfinished by a restart: its remaining steps run again. */
  resume(accountId: string, uuid: string, to: string): void {
    this.#simulate(accountId, uuid, to);
  }

  #simulate(accountId: string, uuid: string, to: string): void {
    const s = this.deps.scheduler;
    s.after(SMS_SENDING_AFTER_MS, () => this.#sending(uuid));
    s.after(SMS_SENT_AFTER_MS, () => this.#step(accountId, uuid, to, 'sent'));
    s.after(SMS_DELIVERED_AFTER_MS, () => this.#step(accountId, uuid, to, 'delivered'));
  }

  /**
   * `sending` has no event type in the contract (it is visible through GET only), so it is one
   * conditional UPDATE outside the event log's transactions: cheaper, and it never moves a message
   * that is already further along.
   */
  async #sending(uuid: string): Promise<void> {
    await this.deps.db
      .updateTable('sms')
      .set({ state: 'sending', modified_on: this.#now() })
      .where('uuid', '=', uuid)
      .where('state', '=', 'created')
      .execute();
  }

  /**
   * `sent` (from created or sending) and `delivered` (from sent), or `failed` for a destination the
   * carrier cannot reach: one conditional UPDATE … RETURNING, so a step never moves a message
   * backwards (a resumed one may already be further along) and needs no read first.
   */
  async #step(accountId: string, uuid: string, to: string, target: 'sent' | 'delivered'): Promise<void> {
    const notes: Callback[] = [];
    await this.deps.events.transaction(async (trx, emit) => {
      const now = this.#now();
      const failure = undeliverable(to);
      const set: Partial<Selectable<SmsTable>> =
        failure !== undefined
          ? { state: 'failed', error: failure, modified_on: now }
          : target === 'sent'
            ? { state: 'sent', sent_on: now, modified_on: now }
            : { state: 'delivered', delivered: 1, delivered_on: now, modified_on: now };
      const next = await trx
        .updateTable('sms')
        .set(set)
        .where('uuid', '=', uuid)
        .where('state', 'in', target === 'sent' ? ['created', 'sending'] : ['sent'])
        .returningAll()
        .executeTakeFirst();
      if (next === undefined) return;
      const event = await emitSms(emit, accountId, `sms.${next.state}` as SmsEventType, smsOut(next));
      await this.#noteCallback(trx, notes, next, event);
      if (next.state === 'delivered') await this.#deliverOnNet(trx, emit, next, notes);
    });
    this.#notify(notes);
  }

  /** Where an SMS's status callbacks go: its own `custom_callback_url`, else its profile's. */
  async #noteCallback(
    trx: TelephonyDb,
    notes: Callback[],
    sms: Selectable<SmsTable>,
    event: unknown,
  ): Promise<void> {
    let url = sms.custom_callback_url;
    if (url === null && sms.messaging_profile !== null)
      url = await this.#profileCallback(trx, sms.messaging_profile);
    if (url !== null) notes.push({ url, event });
  }

  /**
   * A profile's callback_url, cached for a few seconds: every event of every message of a profile
   * needs it. Changes through this instance take effect at once; through another instance sharing
   * PostgreSQL, within {@link PROFILE_CACHE_MS}.
   */
  async #profileCallback(trx: TelephonyDb, profileId: string): Promise<string | null> {
    const cached = this.#callbackUrls.get(profileId);
    if (cached !== undefined && cached.until > Date.now()) return cached.url;
    const profile = await trx
      .selectFrom('messaging_profile')
      .select('callback_url')
      .where('uuid', '=', profileId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    const url = profile?.callback_url ?? null;
    if (this.#callbackUrls.size > 10_000) this.#callbackUrls.clear();
    this.#callbackUrls.set(profileId, { url, until: Date.now() + PROFILE_CACHE_MS });
    return url;
  }
  readonly #callbackUrls = new Map<string, { url: string | null; until: number }>();

  /**
   * Posts each event to its callback URL once, after the commit (so nobody hears of a message that
   * then rolled back). Subscriptions with signed, retried webhooks are the events area's; this is
   * the seed platform's plain per-message callback.
   */
  #notify(notes: readonly Callback[]): void {
    for (const { url, event } of notes) {
      this.deps.scheduler.run(async () => {
        try {
          await this.deps.callbacks.send(url, event);
        } catch (error) {
          this.deps.logError(error, `the SMS callback to ${new URL(url).origin} failed`);
        }
      });
    }
  }

  /** A message to a number leased on this platform arrives there as an inbound SMS. */
  async #deliverOnNet(
    trx: TelephonyDb,
    emit: Emit,
    sms: Selectable<SmsTable>,
    notes: Callback[],
  ): Promise<void> {
    const lease = await trx
      .selectFrom('tn_lease')
      .select(['account_id', 'sms', 'messaging_profile'])
      .where('tn', '=', sms.to_tn)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    if (lease === undefined || Number(lease.sms) !== 1) return;
    await this.#insertInbound(
      trx,
      emit,
      notes,
      lease.account_id,
      sms.from_tn,
      sms.to_tn,
      sms.message,
      lease.messaging_profile,
    );
  }

  async #insertInbound(
    trx: TelephonyDb,
    emit: Emit,
    notes: Callback[],
    accountId: string,
    from: string,
    to: string,
    message: string,
    profile: string | null,
  ): Promise<Sms> {
    const now = this.#now();
    const row: Selectable<SmsTable> = {
      uuid: randomUUID(),
      account_id: accountId,
      type: 'smsi',
      direction: 'in',
      state: 'received',
      from_tn: from,
      to_tn: to,
      message,
      thread: threadId(to, from),
      delivered: 1,
      segments: countSegments(message).segments,
      cost_micros: 0,
      messaging_profile: profile,
      custom_callback_url: null,
      error: null,
      created_on: now,
      modified_on: now,
      sent_on: null,
      delivered_on: now,
    };
    await trx.insertInto('sms').values(row).execute();
    const out = smsOut(row);
    const event = await emitSms(emit, accountId, 'sms.received', out);
    await this.#noteCallback(trx, notes, row, event);
    return out;
  }

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
      return this.#insertInbound(
        trx,
        emit,
        notes,
        accountId,
        input.from,
        input.to,
        input.message,
        lease.messaging_profile,
      );
    });
    this.#notify(notes);
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
    const total = count(await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst());
    const rows = await q
      .selectAll()
      .orderBy('created_on', 'desc')
      .orderBy('uuid')
      .limit(page.take)
      .offset(page.skip)
      .execute();
    return listOf(page, total, rows.map(smsOut));
  }

  // ---- messaging profiles ----------------------------------------------------------------------

  async #profileRow(
    db: TelephonyDb,
    accountId: string,
    uuid: string,
  ): Promise<Selectable<MessagingProfileTable>> {
    const row = await db
      .selectFrom('messaging_profile')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    if (row === undefined) throw notFound('messaging profile');
    return row;
  }

  async createProfile(accountId: string, input: MessagingProfileInput) {
    const now = this.#now();
    const row = {
      uuid: randomUUID(),
      account_id: accountId,
      name: input.name,
      callback_url: input.callback_url ?? null,
      number_pool_enable: input.number_pool_enable ? 1 : 0,
      sticky_sender: input.sticky_sender ? 1 : 0,
      created_on: now,
      modified_on: now,
      deleted_on: null,
    };
    await this.deps.db.insertInto('messaging_profile').values(row).execute();
    return messagingProfileOut(row);
  }

  async getProfile(accountId: string, uuid: string) {
    return messagingProfileOut(await this.#profileRow(this.deps.db, accountId, uuid));
  }

  async listProfiles(accountId: string, page: Page) {
    const { total, rows } = await accountPage(this.deps.db, 'messaging_profile', accountId, page);
    return listOf(page, total, rows.map(messagingProfileOut));
  }

  async updateProfile(accountId: string, uuid: string, patch: Partial<MessagingProfileInput>) {
    const row = await this.#profileRow(this.deps.db, accountId, uuid);
    const set: Partial<Selectable<MessagingProfileTable>> = { modified_on: this.#now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.callback_url !== undefined) set.callback_url = patch.callback_url;
    if (patch.number_pool_enable !== undefined) set.number_pool_enable = patch.number_pool_enable ? 1 : 0;
    if (patch.sticky_sender !== undefined) set.sticky_sender = patch.sticky_sender ? 1 : 0;
    await this.deps.db.updateTable('messaging_profile').set(set).where('uuid', '=', uuid).execute();
    this.#callbackUrls.delete(uuid);
    return messagingProfileOut({ ...row, ...set });
  }

  async deleteProfile(accountId: string, uuid: string): Promise<void> {
    await this.#profileRow(this.deps.db, accountId, uuid);
    const now = this.#now();
    await deleteAndDetachLeases(
      this.deps.events,
      accountId,
      'messaging_profile',
      uuid,
      now,
      'messaging profile deleted',
      (trx) => trx.deleteFrom('sticky_sender').where('profile_id', '=', uuid).execute(),
    );
    this.#callbackUrls.delete(uuid);
  }
}

type SmsEventType = 'sms.created' | 'sms.sent' | 'sms.delivered' | 'sms.failed' | 'sms.received';

async function emitSms(emit: Emit, accountId: string, type: SmsEventType, sms: Sms): Promise<unknown> {
  const arrow = sms.direction === 'out' ? 'out' : 'in';
  return emit({
    accountId,
    type,
    refId: sms.uuid,
    message: `SMS ${arrow} ${sms.from} > ${sms.to} - ${sms.state}`,
    payload: sms,
  });
}

/** A conversation id that both directions of one pair of numbers share. */
function threadId(a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return createHash('sha256').update(`${x}|${y}`).digest('hex').slice(0, 32);
}

/** A stable choice from the pool for one recipient. */
function pick(pool: readonly string[], to: string): string {
  const h = createHash('sha256').update(to).digest().readUInt32BE(0);
  return pool[h % pool.length] as string;
}
