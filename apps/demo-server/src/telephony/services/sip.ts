import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { normalizePhoneNumber, type SipConnection } from '@callwire/types';
import type { Selectable } from 'kysely';
import type { SipConnectionTable, SipDomainTable } from '../db/tables.js';
import type { TelephonyDb, TelephonyDeps } from '../deps.js';
import { conflict, invalidField, notFound } from '../errors.js';
import { deleteAndDetachLeases, updateLeases } from '../lease-events.js';
import { accountPage, count, listOf, type Page, pagedSearch } from '../list.js';
import { leaseOut, sipConnectionOut, sipDomainOut, sipUserOut } from '../serialize.js';
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

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  // ---- connections -----------------------------------------------------------------------------

  async #connection(
    db: TelephonyDb,
    accountId: string,
    uuid: string,
  ): Promise<Selectable<SipConnectionTable>> {
    const row = await db
      .selectFrom('sip_connection')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    if (row === undefined) throw notFound('SIP connection');
    return row;
  }

  async #tnCount(uuid: string): Promise<number> {
    return count(
      await this.deps.db
        .selectFrom('tn_lease')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('sip_connection', '=', uuid)
        .where('deleted_on', 'is', null)
        .executeTakeFirst(),
    );
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
    await this.deps.db.insertInto('sip_connection').values(row).execute();
    return sipConnectionOut(row, 0);
  }

  async getConnection(accountId: string, uuid: string) {
    const row = await this.#connection(this.deps.db, accountId, uuid);
    return sipConnectionOut(row, await this.#tnCount(uuid));
  }

  async listConnections(accountId: string, page: Page) {
    const { total, rows } = await accountPage(this.deps.db, 'sip_connection', accountId, page);
    const data = [];
    for (const r of rows) data.push(sipConnectionOut(r, await this.#tnCount(r.uuid)));
    return listOf(page, total, data);
  }

  async updateConnection(accountId: string, uuid: string, patch: Partial<SipConnectionInput>) {
    const row = await this.#connection(this.deps.db, accountId, uuid);
    const set: Partial<Selectable<SipConnectionTable>> = { modified_on: this.#now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.host !== undefined) set.host = patch.host;
    if (patch.port !== undefined) set.port = patch.port;
    if (patch.transport !== undefined) set.transport = patch.transport;
    await this.deps.db.updateTable('sip_connection').set(set).where('uuid', '=', uuid).execute();
    return sipConnectionOut({ ...row, ...set }, await this.#tnCount(uuid));
  }

  async deleteConnection(accountId: string, uuid: string): Promise<void> {
    await this.#connection(this.deps.db, accountId, uuid);
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
    await this.#connection(this.deps.db, accountId, uuid);
    const q = this.deps.db
      .selectFrom('tn_lease')
      .where('account_id', '=', accountId)
      .where('sip_connection', '=', uuid)
      .where('deleted_on', 'is', null);
    const { total, rows } = await pagedSearch(q, [['tn', 'asc']], page);
    return listOf(page, total, rows.map(leaseOut));
  }

  /** Assigns numbers (by lease uuid or E.164) to the connection, or removes them. */
  async editConnectionNumbers(
    accountId: string,
    uuid: string,
    edit: { add?: string[] | undefined; remove?: string[] | undefined },
  ) {
    await this.#connection(this.deps.db, accountId, uuid);
    const now = this.#now();
    const resolve = async (ref: string, field: string) => {
      let q = this.deps.db
        .selectFrom('tn_lease')
        .select('uuid')
        .where('account_id', '=', accountId)
        .where('deleted_on', 'is', null);
      if (UUID.test(ref)) q = q.where('uuid', '=', ref.toLowerCase());
      else q = q.where('tn', '=', normalizePhoneNumber(ref) ?? ref);
      const row = await q.executeTakeFirst();
      if (row === undefined) throw invalidField(field, `${ref} is not a number of this account`);
      return row.uuid;
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

  async #domain(db: TelephonyDb, accountId: string, domain: string): Promise<Selectable<SipDomainTable>> {
    const row = await db
      .selectFrom('sip_domain')
      .selectAll()
      .where('domain', '=', domain.toLowerCase())
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
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
    const claimed = await this.deps.db
      .insertInto('sip_domain')
      .values(row)
      .onConflict((oc) => oc.column('domain').where('deleted_on', 'is', null).doNothing())
      .returning('uuid')
      .executeTakeFirst();
    if (claimed === undefined) throw conflict('this SIP domain is already taken');
    return sipDomainOut(row);
  }

  async getDomain(accountId: string, domain: string) {
    return sipDomainOut(await this.#domain(this.deps.db, accountId, domain));
  }

  async listDomains(accountId: string, page: Page) {
    const q = this.deps.db
      .selectFrom('sip_domain')
      .where('account_id', '=', accountId)
      .where('deleted_on', 'is', null);
    const { total, rows } = await pagedSearch(q, [['domain', 'asc']], page);
    return listOf(page, total, rows.map(sipDomainOut));
  }

  async updateDomain(accountId: string, domain: string, patch: { name?: string | null | undefined }) {
    const row = await this.#domain(this.deps.db, accountId, domain);
    const set = { modified_on: this.#now(), ...(patch.name === undefined ? {} : { name: patch.name }) };
    await this.deps.db.updateTable('sip_domain').set(set).where('uuid', '=', row.uuid).execute();
    return sipDomainOut({ ...row, ...set });
  }

  async deleteDomain(accountId: string, domain: string): Promise<void> {
    const row = await this.#domain(this.deps.db, accountId, domain);
    const now = this.#now();
    await this.deps.db
      .updateTable('sip_domain')
      .set({ deleted_on: now, modified_on: now })
      .where('uuid', '=', row.uuid)
      .execute();
    await this.deps.db
      .updateTable('sip_user')
      .set({ deleted_on: now, modified_on: now })
      .where('domain_id', '=', row.uuid)
      .where('deleted_on', 'is', null)
      .execute();
  }

  // ---- users -----------------------------------------------------------------------------------

  async createUser(
    accountId: string,
    domain: string,
    input: { username: string; password: string; caller_id?: string | null | undefined },
  ) {
    const d = await this.#domain(this.deps.db, accountId, domain);
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
    const claimed = await this.deps.db
      .insertInto('sip_user')
      .values(row)
      .onConflict((oc) => oc.columns(['domain_id', 'username']).where('deleted_on', 'is', null).doNothing())
      .returning('uuid')
      .executeTakeFirst();
    if (claimed === undefined) throw conflict('this SIP username is already taken in the domain');
    return sipUserOut(row, d.domain);
  }

  async #user(accountId: string, domain: string, uuid: string) {
    const d = await this.#domain(this.deps.db, accountId, domain);
    const row = await this.deps.db
      .selectFrom('sip_user')
      .selectAll()
      .where('uuid', '=', uuid)
      .where('domain_id', '=', d.uuid)
      .where('deleted_on', 'is', null)
      .executeTakeFirst();
    if (row === undefined) throw notFound('SIP user');
    return { d, row };
  }

  async getUser(accountId: string, domain: string, uuid: string) {
    const { d, row } = await this.#user(accountId, domain, uuid);
    return sipUserOut(row, d.domain);
  }

  async listUsers(accountId: string, domain: string, page: Page) {
    const d = await this.#domain(this.deps.db, accountId, domain);
    const q = this.deps.db
      .selectFrom('sip_user')
      .where('domain_id', '=', d.uuid)
      .where('deleted_on', 'is', null);
    const { total, rows } = await pagedSearch(q, [['username', 'asc']], page);
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
    await this.deps.db.updateTable('sip_user').set(set).where('uuid', '=', uuid).execute();
    return sipUserOut({ ...row, ...set }, d.domain);
  }

  async deleteUser(accountId: string, domain: string, uuid: string): Promise<void> {
    await this.#user(accountId, domain, uuid);
    const now = this.#now();
    await this.deps.db
      .updateTable('sip_user')
      .set({ deleted_on: now, modified_on: now })
      .where('uuid', '=', uuid)
      .execute();
  }
}
