import type { InventorySearchRequest } from '@callwire/types';
import type { TelephonyDeps } from '../deps.js';
import { searchInventory } from '../inventory.js';
import { LeaseStore } from '../stores/lease-store.js';

/** Numbers available to buy: the inventory less the numbers leased on the platform. */
export class NumbersService {
  readonly deps: TelephonyDeps;
  readonly #leases: LeaseStore;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
    this.#leases = new LeaseStore(deps.db);
  }

  async searchInventory(body: InventorySearchRequest, page: { page: number; size: number }) {
    const taken = await this.#leases.taken(body.npa);
    const result = searchInventory(body, page, taken);
    return { total: result.total, page: page.page, size: page.size, data: result.data };
  }
}
