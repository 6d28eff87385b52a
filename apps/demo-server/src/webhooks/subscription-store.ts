import { randomBytes, randomUUID } from 'node:crypto';
import type { EventSubscription, WebhookDelivery } from '@callwire/types';
import { type Selectable, sql } from 'kysely';
import { preparedStatement } from '../db/prepared.js';
import type { EventsDb } from '../events/event-store.js';
import type { EventSubscriptionTable, EventsTables, WebhookDeliveryTable } from '../events/tables.js';
import type { RestWssSubscription } from '../realtime/ports.js';

export type SubscriptionRow = Selectable<EventSubscriptionTable>;

export interface NewSubscription {
  accountId: string;
  userId: string | null;
  createdBy: string;
  channel: 'wss' | 'webhook';
  types: string[];
  url: string | null;
  isActive: boolean;
  expiredOn: string | null;
}

export interface SubscriptionPatch {
  types?: string[] | undefined;
  url?: string | undefined;
  is_active?: boolean | undefined;
  expired_on?: string | null | undefined;
}

/** `whsec_` + 32 random bytes: shown once, kept to sign every delivery. */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function toSubscription(row: SubscriptionRow, withSecret = false): EventSubscription {
  const out: EventSubscription = {
    uuid: row.uuid,
    channel: row.channel,
    types: JSON.parse(row.types) as string[],
    url: row.url,
    is_active: Number(row.is_active) === 1,
    expired_on: row.expired_on,
    created_on: row.created_on,
    modified_on: row.modified_on,
  };
  if (withSecret && row.signing_secret !== null) out.signing_secret = row.signing_secret;
  return out;
}

/** Whether the subscription currently applies (active, not deleted, not expired). */
export function isLive(row: SubscriptionRow, nowIso: string): boolean {
  return (
    Number(row.is_active) === 1 &&
    row.deleted_on === null &&
    (row.expired_on === null || row.expired_on > nowIso)
  );
}

export function toRestWss(row: SubscriptionRow): RestWssSubscription | undefined {
  if (row.channel !== 'wss' || row.user_id === null) return undefined;
  return {
    uuid: row.uuid,
    userId: row.user_id,
    accountId: row.account_id,
    types: JSON.parse(row.types) as string[],
    expiresOn: row.expired_on === null ? null : Date.parse(row.expired_on),
  };
}

export async function createSubscription(
  db: EventsDb,
  input: NewSubscription,
  nowIso: string,
): Promise<SubscriptionRow> {
  const row: SubscriptionRow = {
    uuid: randomUUID(),
    account_id: input.accountId,
    user_id: input.userId,
    created_by: input.createdBy,
    channel: input.channel,
    types: JSON.stringify(input.types),
    url: input.url,
    is_active: input.isActive ? 1 : 0,
    expired_on: input.expiredOn,
    signing_secret: input.channel === 'webhook' ? newSigningSecret() : null,
    created_on: nowIso,
    modified_on: nowIso,
    deleted_on: null,
  };
  await db.insertInto('event_subscription').values(row).execute();
  return row;
}

export async function listSubscriptions(
  db: EventsDb,
  accountId: string,
  take: number,
  skip: number,
): Promise<{ total: number; rows: SubscriptionRow[] }> {
  const base = db
    .selectFrom('event_subscription')
    .where('account_id', '=', accountId)
    .where('deleted_on', 'is', null);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy('created_on', 'desc').orderBy('uuid', 'asc').limit(take).offset(skip).execute(),
  ]);
  return { total: Number(count.n), rows };
}

export async function getSubscription(
  db: EventsDb,
  accountId: string,
  uuid: string,
): Promise<SubscriptionRow | undefined> {
  return db
    .selectFrom('event_subscription')
    .selectAll()
    .where('uuid', '=', uuid)
    .where('account_id', '=', accountId)
    .where('deleted_on', 'is', null)
    .executeTakeFirst();
}

export async function updateSubscription(
  db: EventsDb,
  row: SubscriptionRow,
  patch: SubscriptionPatch,
  nowIso: string,
): Promise<SubscriptionRow> {
  const next: SubscriptionRow = {
    ...row,
    types: patch.types === undefined ? row.types : JSON.stringify(patch.types),
    url: patch.url === undefined ? row.url : patch.url,
    is_active: patch.is_active === undefined ? row.is_active : patch.is_active ? 1 : 0,
    expired_on: patch.expired_on === undefined ? row.expired_on : patch.expired_on,
    modified_on: nowIso,
  };
  await db
    .updateTable('event_subscription')
    .set({
      types: next.types,
      url: next.url,
      is_active: next.is_active,
      expired_on: next.expired_on,
      modified_on: next.modified_on,
    })
    .where('uuid', '=', row.uuid)
    .execute();
  return next;
}

export async function deleteSubscription(db: EventsDb, row: SubscriptionRow, nowIso: string): Promise<void> {
  await db
    .updateTable('event_subscription')
    .set({ deleted_on: nowIso, modified_on: nowIso, is_active: 0 })
    .where('uuid', '=', row.uuid)
    .execute();
  // Nothing more will be sent for a deleted subscription.
  await db
    .updateTable('webhook_delivery')
    .set({ state: 'failed', last_error: 'subscription deleted', next_attempt_on: null, modified_on: nowIso })
    .where('subscription_id', '=', row.uuid)
    .where('state', '=', 'pending')
    .execute();
}

/** A live webhook subscription as an emitting transaction matches its events against it. */
export interface ActiveWebhook {
  uuid: string;
  account_id: string;
  /** JSON array of event type patterns. */
  types: string;
}

/** The live webhook subscriptions of one account: every emitting transaction asks, so compiled once. */
const accountWebhooks = preparedStatement<EventsTables, ActiveWebhook, [string, string, number, string]>(
  (db) =>
    db
      .selectFrom('event_subscription')
      .select(['uuid', 'account_id', 'types'])
      .where('account_id', '=', '')
      .where('channel', '=', 'webhook')
      .where('is_active', '=', 1)
      .where('deleted_on', 'is', null)
      .where((eb) => eb.or([eb('expired_on', 'is', null), eb('expired_on', '>', '')])),
);

function webhooksOf(db: EventsDb, accounts: readonly string[], nowIso: string) {
  return db
    .selectFrom('event_subscription')
    .select(['uuid', 'account_id', 'types'])
    .where('account_id', 'in', accounts)
    .where('channel', '=', 'webhook')
    .where('is_active', '=', 1)
    .where('deleted_on', 'is', null)
    .where((eb) => eb.or([eb('expired_on', 'is', null), eb('expired_on', '>', nowIso)]));
}

/** The live webhook subscriptions of `accounts` (active, not deleted, not expired at `nowIso`). */
export function activeWebhooksFor(
  db: EventsDb,
  accounts: string[],
  nowIso: string,
): Promise<ActiveWebhook[]> {
  if (accounts.length === 1) return accountWebhooks(db, accounts[0] as string, 'webhook', 1, nowIso);
  return webhooksOf(db, accounts, nowIso).execute();
}

/**
 * {@link activeWebhooksFor} as one JSON array of `[uuid, account_id, types]` (PostgreSQL), for a
 * statement that reads them along with its writes; {@link parseActiveWebhooks} reads it back.
 */
export function activeWebhooksJson(db: EventsDb, accounts: readonly string[], nowIso: string) {
  const rows = webhooksOf(db, accounts, nowIso);
  return sql`select coalesce(json_agg(json_build_array(w.uuid, w.account_id, w.types)), '[]'::json) from (${rows}) w`;
}

export function parseActiveWebhooks(value: unknown): ActiveWebhook[] {
  const rows = (typeof value === 'string' ? JSON.parse(value) : value) as [string, string, string][];
  return rows.map(([uuid, account_id, types]) => ({ uuid, account_id, types }));
}

/** The user's live `wss` subscriptions made over REST. */
export async function activeWssFor(
  db: EventsDb,
  userId: string,
  nowIso: string,
): Promise<RestWssSubscription[]> {
  const rows = await db
    .selectFrom('event_subscription')
    .selectAll()
    .where('user_id', '=', userId)
    .where('channel', '=', 'wss')
    .where('is_active', '=', 1)
    .where('deleted_on', 'is', null)
    .execute();
  const out: RestWssSubscription[] = [];
  for (const row of rows) {
    const sub = isLive(row, nowIso) ? toRestWss(row) : undefined;
    if (sub !== undefined) out.push(sub);
  }
  return out;
}

type DeliveryRow = Selectable<WebhookDeliveryTable>;

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    uuid: row.uuid,
    subscription: row.subscription_id,
    event_id: row.event_id,
    event_type: row.event_type,
    seq: Number(row.seq),
    state: row.state,
    attempts: Number(row.attempts),
    last_status: row.last_status === null ? null : Number(row.last_status),
    last_error: row.last_error,
    next_attempt_on: row.next_attempt_on,
    created_on: row.created_on,
    modified_on: row.modified_on,
  };
}

/** A subscription's deliveries, newest first, each with its attempt log. */
export async function listDeliveries(
  db: EventsDb,
  subscriptionId: string,
  options: { take: number; skip: number; state?: 'pending' | 'delivered' | 'failed' | undefined },
): Promise<{ total: number; data: WebhookDelivery[] }> {
  let base = db.selectFrom('webhook_delivery').where('subscription_id', '=', subscriptionId);
  if (options.state !== undefined) base = base.where('state', '=', options.state);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .selectAll()
      .orderBy('seq', 'desc')
      .orderBy('uuid', 'asc')
      .limit(options.take)
      .offset(options.skip)
      .execute(),
  ]);
  const data = rows.map(toDelivery);
  if (data.length > 0) {
    const attempts = await db
      .selectFrom('webhook_attempt')
      .selectAll()
      .where(
        'delivery_id',
        'in',
        data.map((d) => d.uuid),
      )
      .orderBy('attempt', 'asc')
      .execute();
    const byDelivery = new Map<string, NonNullable<WebhookDelivery['attempt_log']>>();
    for (const a of attempts) {
      let log = byDelivery.get(a.delivery_id);
      if (log === undefined) {
        log = [];
        byDelivery.set(a.delivery_id, log);
      }
      log.push({
        attempt: Number(a.attempt),
        status: a.status === null ? null : Number(a.status),
        error: a.error,
        duration_ms: Number(a.duration_ms),
        attempted_on: a.attempted_on,
      });
    }
    for (const d of data) d.attempt_log = byDelivery.get(d.uuid) ?? [];
  }
  return { total: Number(count.n), data };
}
