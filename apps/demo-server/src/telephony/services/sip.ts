import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { normalizePhoneNumber, type SipConnection } from '@callwire/types';
import type { TelephonyDeps } from '../deps.js';
import { conflict, invalidField, notFound } from '../errors.js';
import { deleteAndDetachLeases, updateLeases } from '../lease-events.js';
import { listOf, type Page } from '../list.js';
import { leaseOut, sipConnectionOut, sipDomainOut, sipUserOut } from '../serialize.js';
import { LeaseStore } from '../stores/lease-store.js';
import { type SipConnectionRow, SipConnectionStore } from '../stores/sip-connection-store.js';
import { type SipDomainRow, SipDomainStore } from '../stores/sip-domain-store.js';
import { iso } from '../time.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SIP passwords are stored as scrypt hashes: the API never returns them, the database never holds them. */
async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export interface SipConnectionInput {
  name: string;
  host?: string | null | undefined;
  port?: number | null | undefined;
  transport: 'udp' | 'tcp' | 'tls';
}

/** SIP connections (with their numbers), domains and users. */
export class SipService {
  readonly deps: TelephonyDeps;
  readonly #connections: SipConnectionStore;
  readonly #domains: SipDomainStore;
  readonly #leases: LeaseStore;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.#connections = new SipConnectionStore(deps.db);
    this.#domains = new SipDomainStore(deps.db);
    this.#leases = new LeaseStore(deps.db);
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  // ---- connections -----------------------------------------------------------------------------

  async #connection(accountId: string, uuid: string): Promise<SipConnectionRow> {
    const row = await this.#connections.live(accountId, uuid);
    if (row === undefined) throw notFound('SIP connection');
    return row;
  }

  #tnCount(uuid: string): Promise<number> {
    return this.#leases.countOnConnection(uuid);
  }

  async createConnection(accountId: string, input: SipConnectionInput): Promise<SipConnection> {
    const now = this.#now();
    const row = {
      uuid: randomUUID(),
      account_id: accountId,
      name: input.name,
      host: input.host ?? null,
      port: input.port ?? null,
      transport: input.transport,
      created_on: now,
      modified_on: now,
      deleted_on: null,
    };
    await this.#connections.insert(row);
    return sipConnectionOut(row, 0);
  }

  async getConnection(accountId: string, uuid: string) {
    const row = await this.#connection(accountId, uuid);
    return sipConnectionOut(row, await this.#tnCount(uuid));
  }

  async listConnections(accountId: string, page: Page) {
    const { total, rows } = await this.#connections.page(accountId, page);
    const data = [];
    for (const r of rows) data.push(sipConnectionOut(r, await this.#tnCount(r.uuid)));
    return listOf(page, total, data);
  }

  async updateConnection(accountId: string, uuid: string, patch: Partial<SipConnectionInput>) {
    const row = await this.#connection(accountId, uuid);
    const set: Partial<SipConnectionRow> = { modified_on: this.#now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.host !== undefined) set.host = patch.host;
    if (patch.port !== undefined) set.port = patch.port;
    if (patch.transport !== undefined) set.transport = patch.transport;
    await this.#connections.update(uuid, set);
    return sipConnectionOut({ ...row, ...set }, await this.#tnCount(uuid));
  }

  async deleteConnection(accountId: string, uuid: string): Promise<void> {
    await this.#connection(accountId, uuid);
    const now = this.#now();
    await deleteAndDetachLeases(
      this.deps.events,
      accountId,
      'sip_connection',
      uuid,
      now,
      'SIP connection deleted',
    );
  }

  async connectionNumbers(accountId: string, uuid: string, page: Page) {
    await this.#connection(accountId, uuid);
    const { total, rows } = await this.#leases.pageOnConnection(accountId, uuid, page);
    return listOf(page, total, rows.map(leaseOut));
  }

  /** Assigns numbers (by lease uuid or E.164) to the connection, or removes them. */
  async editConnectionNumbers(
    accountId: string,
    uuid: string,
    edit: { add?: string[] | undefined; remove?: string[] | undefined },
  ) {
    await this.#connection(accountId, uuid);
    const now = this.#now();
    const resolve = async (ref: string, field: string) => {
      const lease = await this.#leases.uuidOf(
        accountId,
        UUID.test(ref) ? { uuid: ref.toLowerCase() } : { tn: normalizePhoneNumber(ref) ?? ref },
      );
      if (lease === undefined) throw invalidField(field, `${ref} is not a number of this account`);
      return lease;
    };
    const add: string[] = [];
    for (const ref of edit.add ?? []) add.push(await resolve(ref, 'body.add'));
    const remove: string[] = [];
    for (const ref of edit.remove ?? []) remove.push(await resolve(ref, 'body.remove'));
    await this.deps.events.transaction(async (trx, emit) => {
      await updateLeases(
        trx,
        emit,
        accountId,
        { uuids: add },
        { sip_connection: uuid },
        now,
        'SIP connection assigned',
      );
      await updateLeases(
        trx,
        emit,
        accountId,
        { uuids: remove, column: 'sip_connection', equals: uuid },
        { sip_connection: null },
        now,
        'SIP connection removed',
      );
    });
    return this.connectionNumbers(accountId, uuid, { take: 100, skip: 0 });
  }

  // ---- domains ---------------------------------------------------------------------------------

  async #domain(accountId: string, domain: string): Promise<SipDomainRow> {
    const row = await this.#domains.liveDomain(accountId, domain);
    if (row === undefined) throw notFound('SIP domain');
    return row;
  }

  async createDomain(accountId: string, input: { domain: string; name?: string | null | undefined }) {
    const now = this.#now();
    const row = {
      uuid: randomUUID(),
      account_id: accountId,
      domain: input.domain,
      name: input.name ?? null,
      created_on: now,
      modified_on: now,
      deleted_on: null,
    };
    // Claimed against the unique index of live domains: two concurrent creates get one 201, one 409.
    if (!(await this.#domains.claimDomain(row))) throw conflict('this SIP domain is already taken');
    return sipDomainOut(row);
  }

  async getDomain(accountId: string, domain: string) {
    return sipDomainOut(await this.#domain(accountId, domain));
  }

  async listDomains(accountId: string, page: Page) {
    const { total, rows } = await this.#domains.domainPage(accountId, page);
    return listOf(page, total, rows.map(sipDomainOut));
  }

  async updateDomain(accountId: string, domain: string, patch: { name?: string | null | undefined }) {
    const row = await this.#domain(accountId, domain);
    const set = { modified_on: this.#now(), ...(patch.name === undefined ? {} : { name: patch.name }) };
    await this.#domains.updateDomain(row.uuid, set);
    return sipDomainOut({ ...row, ...set });
  }

  async deleteDomain(accountId: string, domain: string): Promise<void> {
    const row = await this.#domain(accountId, domain);
    await this.#domains.deleteDomain(row.uuid, this.#now());
  }

  // ---- users -----------------------------------------------------------------------------------

  async createUser(
    accountId: string,
    domain: string,
    input: { username: string; password: string; caller_id?: string | null | undefined },
  ) {
    const d = await this.#domain(accountId, domain);
    const now = this.#now();
    const row = {
      uuid: randomUUID(),
      account_id: accountId,
      domain_id: d.uuid,
      username: input.username,
      password_hash: await hashPassword(input.password),
      caller_id: input.caller_id ?? null,
      created_on: now,
      modified_on: now,
      deleted_on: null,
    };
    if (!(await this.#domains.claimUser(row)))
      throw conflict('this SIP username is already taken in the domain');
    return sipUserOut(row, d.domain);
  }

  async #user(accountId: string, domain: string, uuid: string) {
    const d = await this.#domain(accountId, domain);
    const row = await this.#domains.liveUser(d.uuid, uuid);
    if (row === undefined) throw notFound('SIP user');
    return { d, row };
  }

  async getUser(accountId: string, domain: string, uuid: string) {
    const { d, row } = await this.#user(accountId, domain, uuid);
    return sipUserOut(row, d.domain);
  }

  async listUsers(accountId: string, domain: string, page: Page) {
    const d = await this.#domain(accountId, domain);
    const { total, rows } = await this.#domains.userPage(d.uuid, page);
    return listOf(
      page,
      total,
      rows.map((r) => sipUserOut(r, d.domain)),
    );
  }

  async updateUser(
    accountId: string,
    domain: string,
    uuid: string,
    patch: { password?: string | undefined; caller_id?: string | null | undefined },
  ) {
    const { d, row } = await this.#user(accountId, domain, uuid);
    const set: { modified_on: string; password_hash?: string; caller_id?: string | null } = {
      modified_on: this.#now(),
    };
    if (patch.password !== undefined) set.password_hash = await hashPassword(patch.password);
    if (patch.caller_id !== undefined) set.caller_id = patch.caller_id;
    await this.#domains.updateUser(uuid, set);
    return sipUserOut({ ...row, ...set }, d.domain);
  }

  async deleteUser(accountId: string, domain: string, uuid: string): Promise<void> {
    await this.#user(accountId, domain, uuid);
    await this.#domains.deleteUser(uuid, this.#now());
  }
}
