import { randomUUID } from 'node:crypto';
import type { TelephonyDb, TelephonyDeps } from '../deps.js';
import { notFound } from '../errors.js';
import { deleteAndDetachLeases } from '../lease-events.js';
import { listOf, type Page } from '../list.js';
import { messagingProfileOut } from '../serialize.js';
import { type MessagingProfileRow, MessagingProfileStore } from '../stores/messaging-profile-store.js';
import { iso } from '../time.js';

export interface MessagingProfileInput {
  name: string;
  callback_url?: string | null | undefined;
  number_pool_enable: boolean;
  sticky_sender: boolean;
}

/** Messaging profiles: callback URL, number pool and sticky sender. */
export class MessagingProfilesService {
  readonly deps: TelephonyDeps;
  readonly #profiles: MessagingProfileStore;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.#profiles = new MessagingProfileStore(deps.db);
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
    await this.#profiles.insert(row);
    return messagingProfileOut(row);
  }

  async getProfile(accountId: string, uuid: string) {
    return messagingProfileOut(await messagingProfileRow(this.deps.db, accountId, uuid));
  }

  async listProfiles(accountId: string, page: Page) {
    const { total, rows } = await this.#profiles.page(accountId, page);
    return listOf(page, total, rows.map(messagingProfileOut));
  }

  async updateProfile(accountId: string, uuid: string, patch: Partial<MessagingProfileInput>) {
    const row = await messagingProfileRow(this.deps.db, accountId, uuid);
    const set: Partial<MessagingProfileRow> = { modified_on: this.#now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.callback_url !== undefined) set.callback_url = patch.callback_url;
    if (patch.number_pool_enable !== undefined) set.number_pool_enable = patch.number_pool_enable ? 1 : 0;
    if (patch.sticky_sender !== undefined) set.sticky_sender = patch.sticky_sender ? 1 : 0;
    await this.#profiles.update(uuid, set);
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
      (trx) => new MessagingProfileStore(trx).forgetStickySenders(uuid),
    );
    this.deps.callbacks.forget(uuid);
  }
}

/** A live messaging profile of the account, or 404. */
export async function messagingProfileRow(
  db: TelephonyDb,
  accountId: string,
  uuid: string,
): Promise<MessagingProfileRow> {
  const row = await new MessagingProfileStore(db).live(accountId, uuid);
  if (row === undefined) throw notFound('messaging profile');
  return row;
}
