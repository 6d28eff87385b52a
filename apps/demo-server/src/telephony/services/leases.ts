import { type LeaseSearchRequest, normalizePhoneNumber, type UpdateLeaseRequest } from '@callwire/types';
import { checkCallflow } from '../callflow-check.js';
import type { TelephonyDb, TelephonyDeps } from '../deps.js';
import { conflict, invalidField, notFound } from '../errors.js';
import { emitLease } from '../lease-events.js';
import { listOf, type Page } from '../list.js';
import { leaseOut } from '../serialize.js';
import { AccountOwnedStore } from '../stores/account-owned-store.js';
import { type LeaseRow, LeaseStore, type LeaseTarget } from '../stores/lease-store.js';
import { iso } from '../time.js';
import { patternToRegExp } from '../tn-pattern.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The account's numbers (leases): reading, settings, SMS on/off, release. */
export class LeasesService {
  readonly deps: TelephonyDeps;
  readonly #leases: LeaseStore;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.#leases = new LeaseStore(deps.db);
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  /** The account's live lease, named by uuid or by number (any form the API accepts), or 404. */
  async findLease(db: TelephonyDb, accountId: string, idOrTn: string): Promise<LeaseRow> {
    let row: LeaseRow | undefined;
    if (UUID.test(idOrTn)) row = await new LeaseStore(db).find(accountId, { uuid: idOrTn.toLowerCase() });
    else {
      const tn = normalizePhoneNumber(idOrTn);
      if (tn === undefined) throw notFound('number');
      row = await new LeaseStore(db).find(accountId, { tn });
    }
    if (row === undefined) throw notFound('number');
    return row;
  }

  async getLease(accountId: string, idOrTn: string) {
    return leaseOut(await this.findLease(this.deps.db, accountId, idOrTn));
  }

  async searchLeases(accountId: string, body: LeaseSearchRequest, page: Page) {
    let rows = await this.#leases.search(accountId, {
      sms: body.sms,
      voice: body.voice,
      sip_connection: body.sip_connection,
      messaging_profile: body.messaging_profile,
      createdFrom: body.created_on_from === undefined ? undefined : iso(Date.parse(body.created_on_from)),
      createdTo: body.created_on_to === undefined ? undefined : iso(Date.parse(body.created_on_to)),
    });
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
      const leases = new LeaseStore(trx);
      const row = await this.findLease(trx, accountId, idOrTn);
      if (patch.messaging_profile)
        await this.#owned(trx, 'messaging_profile', accountId, patch.messaging_profile);
      if (patch.sip_connection) await this.#owned(trx, 'sip_connection', accountId, patch.sip_connection);
      if (patch.tn_profile) await this.#owned(trx, 'tn_profile', accountId, patch.tn_profile);
      const features = JSON.parse(row.features) as string[];
      if (patch.sms === true && !features.includes('sms')) {
        throw invalidField('body.sms', 'this number does not support SMS');
      }
      const set: Partial<LeaseRow> = { modified_on: this.#now() };
      if (patch.voice !== undefined) set.voice = patch.voice ? 1 : 0;
      if (patch.sms !== undefined) set.sms = patch.sms ? 1 : 0;
      if (patch.autorenew !== undefined) set.autorenew = patch.autorenew ? 1 : 0;
      if (patch.messaging_profile !== undefined) set.messaging_profile = patch.messaging_profile;
      if (patch.sip_connection !== undefined) set.sip_connection = patch.sip_connection;
      if (patch.tn_profile !== undefined) set.tn_profile = patch.tn_profile;
      if (patch.call_flow_xml !== undefined) set.call_flow_xml = patch.call_flow_xml;
      if (patch.call_flow_url !== undefined) set.call_flow_url = patch.call_flow_url;
      await leases.update(row.uuid, set);
      const out = leaseOut({ ...row, ...set });
      await emitLease(emit, accountId, 'tn.updated', out, 'updated');
      return out;
    });
  }

  /** 404 naming the target unless `uuid` is a live one of the account. */
  async #owned(trx: TelephonyDb, target: LeaseTarget, accountId: string, uuid: string): Promise<void> {
    if ((await new AccountOwnedStore(trx, target).live(accountId, uuid)) === undefined)
      throw notFound(target.replace('_', ' '));
  }

  async releaseLease(accountId: string, idOrTn: string) {
    return this.deps.events.transaction(async (trx, emit) => {
      const row = await this.findLease(trx, accountId, idOrTn);
      const now = this.#now();
      // A racing release (another connection) got there first.
      if (!(await new LeaseStore(trx).release(row, now))) throw notFound('number');
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
      const set: Partial<LeaseRow> = { sms: enable ? 1 : 0, modified_on: this.#now() };
      if (messagingProfile !== undefined) set.messaging_profile = messagingProfile;
      await new LeaseStore(trx).update(row.uuid, set);
      const out = leaseOut({ ...row, ...set });
      await emitLease(emit, accountId, 'tn.updated', out, enable ? 'SMS enabled' : 'SMS disabled');
      return out;
    });
  }
}
