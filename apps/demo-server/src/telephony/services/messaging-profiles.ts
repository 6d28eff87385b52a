import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { MessagingProfileTable } from '../db/tables.js';
import type { TelephonyDb, TelephonyDeps } from '../deps.js';
import { notFound } from '../errors.js';
import { deleteAndDetachLeases } from '../lease-events.js';
import { accountPage, listOf, type Page } from '../list.js';
import { messagingProfileOut } from '../serialize.js';
import { iso } from '../time.js';

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

/** Messaging profiles: callback URL, number pool and sticky sender. */
export class MessagingProfilesService {
  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
  }

  #now(): string {
    return iso(this.deps.sim.now());
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
    return messagingProfileOut(await messagingProfileRow(this.deps.db, accountId, uuid));
  }

  async listProfiles(accountId: string, page: Page) {
    const { total, rows } = await accountPage(this.deps.db, 'messaging_profile', accountId, page);
    return listOf(page, total, rows.map(messagingProfileOut));
  }

  async updateProfile(accountId: string, uuid: string, patch: Partial<MessagingProfileInput>) {
    const row = await messagingProfileRow(this.deps.db, accountId, uuid);
    const set: Partial<Selectable<MessagingProfileTable>> = { modified_on: this.#now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.callback_url !== undefined) set.callback_url = patch.callback_url;
    if (patch.number_pool_enable !== undefined) set.number_pool_enable = patch.number_pool_enable ? 1 : 0;
    if (patch.sticky_sender !== undefined) set.sticky_sender = patch.sticky_sender ? 1 : 0;
    await this.deps.db.updateTable('messaging_profile').set(set).where('uuid', '=', uuid).execute();
    this.deps.callbacks.forget(uuid);
    return messagingProfileOut({ ...row, ...set });
  }

  async deleteProfile(accountId: string, uuid: string): Promise<void> {
    await messagingProfileRow(this.deps.db, accountId, uuid);
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
    this.deps.callbacks.forget(uuid);
  }
}

/** A live messaging profile of the account, or 404. */
export async function messagingProfileRow(
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
