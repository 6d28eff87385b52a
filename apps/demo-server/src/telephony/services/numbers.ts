import type { InventorySearchRequest } from '@callwire/types';
import type { TelephonyDeps } from '../deps.js';
import { searchInventory } from '../inventory.js';
import { iso } from '../time.js';

/** Numbers available to buy: the inventory less the numbers leased on the platform. */
export class NumbersService {
  readonly deps: TelephonyDeps;

  constructor(deps: TelephonyDeps) {
    this.deps = deps;
  }

  #now(): string {
    return iso(this.deps.sim.now());
  }

  async searchInventory(body: InventorySearchRequest, page: { page: number; size: number }) {
    let q = this.deps.db.selectFrom('tn_lease').select('tn').where('deleted_on', 'is', null);
    if (body.npa !== undefined) q = q.where('tn', 'like', `+1${body.npa}%`);
    const taken = new Set((await q.execute()).map((r) => r.tn));
    const result = searchInventory(body, page, taken);
    return { total: result.total, page: page.page, size: page.size, data: result.data };
  }
}
