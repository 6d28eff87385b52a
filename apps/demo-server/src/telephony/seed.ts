import type { Kysely } from 'kysely';
import type { TelephonyTables } from './db/tables.js';
import { inventory } from './inventory.js';
import { NUMBER_MONTHLY_MICROS, RENEWAL_PERIOD_MS } from './money.js';
import { LeaseStore } from './stores/lease-store.js';
import { MessagingProfileStore } from './stores/messaging-profile-store.js';
import { iso } from './time.js';

/**
 * Demo data, telephony part: per demo account one messaging profile and two
 * SMS-enabled numbers in its pool. Ids and numbers are fixed (the inventory is deterministic), so
 * tutorials can name them; the numbers come from the inventory, so searches never offer them again.
 */
export const DEMO_TELEPHONY: Record<string, { npa: string; profile: string; leases: [string, string] }> = {
  acme: {
    npa: '201',
    profile: '0a11ce00-0000-4000-8000-0000000a5001',
    leases: ['0a11ce00-0000-4000-8000-0000000a7001', '0a11ce00-0000-4000-8000-0000000a7002'],
  },
  bayside: {
    npa: '415',
    profile: '0a11ce00-0000-4000-8000-0000000b5001',
    leases: ['0a11ce00-0000-4000-8000-0000000b7001', '0a11ce00-0000-4000-8000-0000000b7002'],
  },
};

/** The two demo numbers of an area code: the first SMS-capable ones of its inventory. */
export function demoNumbers(npa: string): [string, string] {
  const picks = inventory()
    .filter((n) => n.tn.startsWith(`+1${npa}`) && n.features.includes('sms'))
    .slice(0, 2)
    .map((n) => n.tn);
  return [picks[0] as string, picks[1] as string];
}

export async function seedTelephony(
  db: Kysely<TelephonyTables>,
  accounts: readonly { uuid: string; key: string }[],
  nowMs: number,
): Promise<void> {
  const now = iso(nowMs);
  for (const account of accounts) {
    const demo = DEMO_TELEPHONY[account.key];
    if (demo === undefined) continue;
    if (await new MessagingProfileStore(db).exists(demo.profile)) continue;
    await db.transaction().execute(async (trx) => {
      await new MessagingProfileStore(trx).insert({
        uuid: demo.profile,
        account_id: account.uuid,
        name: 'Default messaging',
        callback_url: null,
        number_pool_enable: 1,
        sticky_sender: 1,
        created_on: now,
        modified_on: now,
        deleted_on: null,
      });
      const leases = new LeaseStore(trx);
      const numbers = demoNumbers(demo.npa);
      for (const [i, tn] of numbers.entries()) {
        const inv = inventory().find((n) => n.tn === tn);
        if (inv === undefined) continue;
        await leases.insert({
          uuid: demo.leases[i] as string,
          account_id: account.uuid,
          tn,
          country: inv.country,
          state: inv.state,
          city: inv.city,
          rate_center: inv.rate_center,
          features: JSON.stringify(inv.features),
          voice: 1,
          sms: 1,
          autorenew: 1,
          messaging_profile: demo.profile,
          sip_connection: null,
          tn_profile: null,
          call_flow_xml: null,
          call_flow_url: null,
          monthly_cost_micros: NUMBER_MONTHLY_MICROS,
          order_id: null,
          paid_until: iso(nowMs + RENEWAL_PERIOD_MS),
          created_on: now,
          modified_on: now,
          deleted_on: null,
        });
      }
    });
  }
}
