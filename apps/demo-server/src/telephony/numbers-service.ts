import { randomUUID } from 'node:crypto';
import {
  type InventorySearchRequest,
  type LeaseSearchRequest,
  type NumberListEditRequest,
  normalizePhoneNumber,
  type OrderItem,
  type OrderSearchRequest,
  type UpdateLeaseRequest,
} from '@callwire/types';
import type { Selectable } from 'kysely';
import { emitOrder } from './account-events.js';
import { checkCallflow } from './callflow-check.js';
import type { TnLeaseTable } from './db/tables.js';
import type { TelephonyDb, TelephonyDeps } from './deps.js';
import { conflict, insufficientBalance, invalidField, notFound } from './errors.js';
import { searchInventory } from './inventory.js';
import { deleteAndDetachLeases, emitLease } from './lease-events.js';
import { accountPage, count, listOf, type Page } from './list.js';
import { NUMBER_PURCHASE_MICROS } from './money.js';
import { leaseOut, orderOut, tnProfileOut } from './serialize.js';
import { planOrder } from './sim/orders.js';
import { iso } from './time.js';
import { patternToRegExp } from './tn-pattern.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ParsedTnProfile {
  name: string;
  blacklist: string[];
  whitelist: string[];
}

/** Numbers: inventory, orders, leases, SMS subscriptions and TN profiles. */
export class NumbersService {
  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  // ---- inventory -------------------------------------------------------------------------------

  async searchInventory(body: InventorySearchRequest, page: { page: number; size: number }) {
    let q = this.deps.db.selectFrom('tn_lease').select('tn').where('deleted_on', 'is', null);
    if (body.npa !== undefined) q = q.where('tn', 'like', `+1${body.npa}%`);
    const taken = new Set((await q.execute()).map((r) => r.tn));
    const result = searchInventory(body, page, taken);
    return { total: result.total, page: page.page, size: page.size, data: result.data };
  }

  // ---- orders ----------------------------------------------------------------------------------

  async createOrder(
    accountId: string,
    items: { tn: string; features: ('voice' | 'sms')[]; autorenew: boolean }[],
  ) {
    const cost = items.length * NUMBER_PURCHASE_MICROS;
    const now = this.#now();
    const order = await this.deps.events.transaction(async (trx, emit, schedule) => {
      // 402 up front when the balance cannot cover every item; each item is debited on its own
      // when it is processed, so the balance still never goes below zero.
      if ((await this.deps.ledger.balance(trx, accountId)) < cost) throw insufficientBalance(cost);
      const row = {
        uuid: randomUUID(),
        account_id: accountId,
        state: 'created',
        items: JSON.stringify(
          items.map<OrderItem>((i) => ({ ...i, state: 'pending', lease: null, error: null })),
        ),
        errors: '[]',
        cost_micros: 0,
        created_on: now,
        modified_on: now,
      };
      await trx.insertInto('tn_order').values(row).execute();
      const out = orderOut(row);
      await emitOrder(emit, accountId, out);
      planOrder(schedule, accountId, out.uuid);
      return out;
    });
    return order;
  }

  async getOrder(accountId: string, uuid: string) {
    const row = await this.deps.db
      .selectFrom('tn_order')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (row === undefined) throw notFound('order');
    return orderOut(row);
  }

  async searchOrders(accountId: string, body: OrderSearchRequest, page: Page) {
    let q = this.deps.db.selectFrom('tn_order').where('account_id', '=', accountId);
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
    return listOf(page, total, rows.map(orderOut));
  }

  // ---- leases ----------------------------------------------------------------------------------

  async findLease(db: TelephonyDb, accountId: string, idOrTn: string): Promise<Selectable<TnLeaseTable>> {
    let q = db
      .selectFrom('tn_lease')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null);
    if (UUID.test(idOrTn)) q = q.where('uuid', '=', idOrTn.toLowerCase());
    else {
      const tn = normalizePhoneNumber(idOrTn);
      if (tn === undefined) throw notFound('number');
      q = q.where('tn', '=', tn);
    }
    const row = await q.executeTakeFirst();
    if (row === undefined) throw notFound('number');
    return row;
  }

  async getLease(accountId: string, idOrTn: string) {
    return leaseOut(await this.findLease(this.deps.db, accountId, idOrTn));
  }

  async searchLeases(accountId: string, body: LeaseSearchRequest, page: Page) {
    let q = this.deps.db
      .selectFrom('tn_lease')
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null);
    if (body.sms !== undefined) q = q.where('sms', '=', body.sms ? 1 : 0);
    if (body.voice !== undefined) q = q.where('voice', '=', body.voice ? 1 : 0);
    if (body.sip_connection !== undefined) q = q.where('sip_connection', '=', body.sip_connection);
    if (body.messaging_profile !== undefined) q = q.where('messaging_profile', '=', body.messaging_profile);
    if (body.created_on_from !== undefined)
      q = q.where('created_on', '>=', iso(Date.parse(body.created_on_from)));
    if (body.created_on_to !== undefined)
      q = q.where('created_on', '<=', iso(Date.parse(body.created_on_to)));
    let rows = await q.selectAll().orderBy('created_on', 'asc').orderBy('tn').execute();
    // The mask is matched here rather than in SQL: one account holds few numbers, and the
    // pattern language (`*`, `%`) is the inventory's, tested once.
    if (body.tn !== undefined) {
      const re = patternToRegExp(body.tn);
      rows = rows.filter((r) => re.test(r.tn.slice(2)));
    }
    return listOf(page, rows.length, rows.slice(page.skip, page.skip + page.take).map(leaseOut));
  }

  async updateLease(accountId: string, idOrTn: string, patch: UpdateLeaseRequest) {
    if (patch.call_flow_xml !== undefined && patch.call_flow_xml !== null) {
      checkCallflow(patch.call_flow_xml, 'body.call_flow_xml');
    }
    return this.deps.events.transaction(async (trx, emit) => {
      const row = await this.findLease(trx, accountId, idOrTn);
      if (patch.messaging_profile)
        await this.#owned(trx, 'messaging_profile', accountId, patch.messaging_profile);
      if (patch.sip_connection) await this.#owned(trx, 'sip_connection', accountId, patch.sip_connection);
      if (patch.tn_profile) await this.#owned(trx, 'tn_profile', accountId, patch.tn_profile);
      const features = JSON.parse(row.features) as string[];
      if (patch.sms === true && !features.includes('sms')) {
        throw invalidField('body.sms', 'this number does not support SMS');
      }
      const set: Partial<Selectable<TnLeaseTable>> = { modified_on: this.#now() };
      if (patch.voice !== undefined) set.voice = patch.voice ? 1 : 0;
      if (patch.sms !== undefined) set.sms = patch.sms ? 1 : 0;
      if (patch.autorenew !== undefined) set.autorenew = patch.autorenew ? 1 : 0;
      if (patch.messaging_profile !== undefined) set.messaging_profile = patch.messaging_profile;
      if (patch.sip_connection !== undefined) set.sip_connection = patch.sip_connection;
      if (patch.tn_profile !== undefined) set.tn_profile = patch.tn_profile;
      if (patch.call_flow_xml !== undefined) set.call_flow_xml = patch.call_flow_xml;
      if (patch.call_flow_url !== undefined) set.call_flow_url = patch.call_flow_url;
      await trx.updateTable('tn_lease').set(set).where('uuid', '=', row.uuid).execute();
      const out = leaseOut({ ...row, ...set });
      await emitLease(emit, accountId, 'tn.updated', out, 'updated');
      return out;
    });
  }

  async #owned(
    trx: TelephonyDb,
    table: 'messaging_profile' | 'sip_connection' | 'tn_profile',
    accountId: string,
    uuid: string,
  ): Promise<void> {
    const row = await trx
      .selectFrom(table)
      .select('uuid')
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    if (row === undefined) throw notFound(table.replace('_', ' '));
  }

  async releaseLease(accountId: string, idOrTn: string) {
    return this.deps.events.transaction(async (trx, emit) => {
      const row = await this.findLease(trx, accountId, idOrTn);
      const now = this.#now();
      const released = await trx
        .updateTable('tn_lease')
        .set({ deleted_on: now, modified_on: now })
        .where('uuid', '=', row.uuid)
        .where('deleted_on', 'is', null)
        .executeTakeFirst();
      // A racing release (another connection) got there first.
      if (Number(released.numUpdatedRows) === 0) throw notFound('number');
      await trx.deleteFrom('sticky_sender').where('from_tn', '=', row.tn).execute();
      const out = leaseOut({ ...row, modified_on: now });
      await emitLease(emit, accountId, 'tn.released', out, 'released');
      return out;
    });
  }

  async setSms(accountId: string, idOrTn: string, enable: boolean, messagingProfile?: string) {
    return this.deps.events.transaction(async (trx, emit) => {
      const row = await this.findLease(trx, accountId, idOrTn);
      if (enable && !(JSON.parse(row.features) as string[]).includes('sms')) {
        throw conflict('this number does not support SMS');
      }
      if (messagingProfile !== undefined)
        await this.#owned(trx, 'messaging_profile', accountId, messagingProfile);
      const set: Partial<Selectable<TnLeaseTable>> = { sms: enable ? 1 : 0, modified_on: this.#now() };
      if (messagingProfile !== undefined) set.messaging_profile = messagingProfile;
      await trx.updateTable('tn_lease').set(set).where('uuid', '=', row.uuid).execute();
      const out = leaseOut({ ...row, ...set });
      await emitLease(emit, accountId, 'tn.updated', out, enable ? 'SMS enabled' : 'SMS disabled');
      return out;
    });
  }

  // ---- TN profiles -----------------------------------------------------------------------------

  async createTnProfile(accountId: string, body: ParsedTnProfile) {
    const now = this.#now();
    const row = {
      uuid: randomUUID(),
      account_id: accountId,
      name: body.name,
      blacklist: JSON.stringify(unique(body.blacklist)),
      whitelist: JSON.stringify(unique(body.whitelist)),
      created_on: now,
      modified_on: now,
      deleted_on: null,
    };
    await this.deps.db.insertInto('tn_profile').values(row).execute();
    return tnProfileOut(row);
  }

  async #tnProfileRow(db: TelephonyDb, accountId: string, uuid: string) {
    const row = await db
      .selectFrom('tn_profile')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    if (row === undefined) throw notFound('TN profile');
    return row;
  }

  async getTnProfile(accountId: string, uuid: string) {
    return tnProfileOut(await this.#tnProfileRow(this.deps.db, accountId, uuid));
  }

  async listTnProfiles(accountId: string, page: Page) {
    const { total, rows } = await accountPage(this.deps.db, 'tn_profile', accountId, page);
    return listOf(page, total, rows.map(tnProfileOut));
  }

  async updateTnProfile(accountId: string, uuid: string, patch: Partial<ParsedTnProfile>) {
    const row = await this.#tnProfileRow(this.deps.db, accountId, uuid);
    const set = {
      modified_on: this.#now(),
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.blacklist === undefined ? {} : { blacklist: JSON.stringify(unique(patch.blacklist)) }),
      ...(patch.whitelist === undefined ? {} : { whitelist: JSON.stringify(unique(patch.whitelist)) }),
    };
    await this.deps.db.updateTable('tn_profile').set(set).where('uuid', '=', uuid).execute();
    return tnProfileOut({ ...row, ...set });
  }

  async editTnProfileList(
    accountId: string,
    uuid: string,
    list: 'blacklist' | 'whitelist',
    edit: { add?: string[] | undefined; remove?: string[] | undefined },
  ) {
    const row = await this.#tnProfileRow(this.deps.db, accountId, uuid);
    const current = new Set(JSON.parse(row[list]) as string[]);
    for (const tn of edit.add ?? []) current.add(tn);
    for (const tn of edit.remove ?? []) current.delete(tn);
    const set = { [list]: JSON.stringify([...current]), modified_on: this.#now() };
    await this.deps.db.updateTable('tn_profile').set(set).where('uuid', '=', uuid).execute();
    return tnProfileOut({ ...row, ...set });
  }

  async deleteTnProfile(accountId: string, uuid: string): Promise<void> {
    await this.#tnProfileRow(this.deps.db, accountId, uuid);
    const now = this.#now();
    await deleteAndDetachLeases(this.deps.events, accountId, 'tn_profile', uuid, now, 'TN profile deleted');
  }
}

export type { NumberListEditRequest };

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}
