import { type LeaseSearchRequest, normalizePhoneNumber, type UpdateLeaseRequest } from '@callwire/types';
import type { Selectable } from 'kysely';
import { checkCallflow } from '../callflow-check.js';
import type { TnLeaseTable } from '../db/tables.js';
import type { TelephonyDb, TelephonyDeps } from '../deps.js';
import { conflict, invalidField, notFound } from '../errors.js';
import { emitLease } from '../lease-events.js';
import { listOf, type Page } from '../list.js';
import { leaseOut } from '../serialize.js';
import { iso } from '../time.js';
import { patternToRegExp } from '../tn-pattern.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The account's numbers (leases): reading, settings, SMS on/off, release. */
export class LeasesService {
  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

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
}
