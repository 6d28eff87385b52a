import { randomUUID } from 'node:crypto';
import type { TelephonyDeps } from '../deps.js';
import { notFound } from '../errors.js';
import { deleteAndDetachLeases } from '../lease-events.js';
import { listOf, type Page } from '../list.js';
import { tnProfileOut } from '../serialize.js';
import { type TnProfileRow, TnProfileStore } from '../stores/tn-profile-store.js';
import { iso } from '../time.js';

export interface ParsedTnProfile {
  name: string;
  blacklist: string[];
  whitelist: string[];
}

/** TN profiles: caller screening lists shared by numbers. */
export class TnProfilesService {
  readonly deps: TelephonyDeps;
  readonly #profiles: TnProfileStore;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.#profiles = new TnProfileStore(deps.db);
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

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
    await this.#profiles.insert(row);
    return tnProfileOut(row);
  }

  async #tnProfileRow(accountId: string, uuid: string): Promise<TnProfileRow> {
    const row = await this.#profiles.live(accountId, uuid);
    if (row === undefined) throw notFound('TN profile');
    return row;
  }

  async getTnProfile(accountId: string, uuid: string) {
    return tnProfileOut(await this.#tnProfileRow(accountId, uuid));
  }

  async listTnProfiles(accountId: string, page: Page) {
    const { total, rows } = await this.#profiles.page(accountId, page);
    return listOf(page, total, rows.map(tnProfileOut));
  }

  async updateTnProfile(accountId: string, uuid: string, patch: Partial<ParsedTnProfile>) {
    const row = await this.#tnProfileRow(accountId, uuid);
    const set = {
      modified_on: this.#now(),
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.blacklist === undefined ? {} : { blacklist: JSON.stringify(unique(patch.blacklist)) }),
      ...(patch.whitelist === undefined ? {} : { whitelist: JSON.stringify(unique(patch.whitelist)) }),
    };
    await this.#profiles.update(uuid, set);
    return tnProfileOut({ ...row, ...set });
  }

  async editTnProfileList(
    accountId: string,
    uuid: string,
    list: 'blacklist' | 'whitelist',
    edit: { add?: string[] | undefined; remove?: string[] | undefined },
  ) {
    const row = await this.#tnProfileRow(accountId, uuid);
    const current = new Set(JSON.parse(row[list]) as string[]);
    for (const tn of edit.add ?? []) current.add(tn);
    for (const tn of edit.remove ?? []) current.delete(tn);
    const set = { [list]: JSON.stringify([...current]), modified_on: this.#now() };
    await this.#profiles.update(uuid, set);
    return tnProfileOut({ ...row, ...set });
  }

  async deleteTnProfile(accountId: string, uuid: string): Promise<void> {
    await this.#tnProfileRow(accountId, uuid);
    const now = this.#now();
    await deleteAndDetachLeases(this.deps.events, accountId, 'tn_profile', uuid, now, 'TN profile deleted');
  }
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}
