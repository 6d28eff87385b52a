import type { Feature, InventoryNumber } from '@callwire/types';
import { NUMBER_MONTHLY_MICROS, NUMBER_SETUP_MICROS, toDollars } from './money.js';
import { patternToRegExp } from './tn-pattern.js';

/**
 * The deterministic number inventory. Every server, every run, offers the same numbers: each area
 * code's exchanges and lines come from a PRNG seeded with the area code, so a test (or a tutorial)
 * can name a number it will find. Numbers already leased are filtered out by the caller.
 */
export interface RateCenter {
  npa: string;
  state: string;
  city: string;
  rate_center: string;
}

export const RATE_CENTERS: readonly RateCenter[] = [
  { npa: '201', state: 'NJ', city: 'Jersey City', rate_center: 'JERSEYCITY' },
  { npa: '212', state: 'NY', city: 'New York', rate_center: 'NWYRCYZN01' },
  { npa: '213', state: 'CA', city: 'Los Angeles', rate_center: 'LSAN DA 01' },
  { npa: '305', state: 'FL', city: 'Miami', rate_center: 'MIAMI' },
  { npa: '312', state: 'IL', city: 'Chicago', rate_center: 'CHICAGO' },
  { npa: '415', state: 'CA', city: 'San Francisco', rate_center: 'SNFC CNTRL' },
  { npa: '512', state: 'TX', city: 'Austin', rate_center: 'AUSTIN' },
  { npa: '617', state: 'MA', city: 'Boston', rate_center: 'BOSTON' },
  { npa: '702', state: 'NV', city: 'Las Vegas', rate_center: 'LAS VEGAS' },
  { npa: '720', state: 'CO', city: 'Denver', rate_center: 'DENVER' },
  { npa: '206', state: 'WA', city: 'Seattle', rate_center: 'SEATTLE' },
  { npa: '404', state: 'GA', city: 'Atlanta', rate_center: 'ATLANTA' },
  { npa: '503', state: 'OR', city: 'Portland', rate_center: 'PORTLAND' },
  { npa: '602', state: 'AZ', city: 'Phoenix', rate_center: 'PHOENIX' },
  { npa: '838', state: 'NY', city: 'Albany', rate_center: 'ALBANY' },
  { npa: '858', state: 'CA', city: 'San Diego', rate_center: 'SAN DIEGO' },
];

const EXCHANGES_PER_NPA = 8;
const LINES_PER_EXCHANGE = 60;

/** mulberry32: tiny, fast, good enough to spread numbers; seeded, so deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(): InventoryNumber[] {
  const out: InventoryNumber[] = [];
  for (const rc of RATE_CENTERS) {
    const rnd = prng(Number(rc.npa) * 7919);
    const exchanges = new Set<number>();
    while (exchanges.size < EXCHANGES_PER_NPA) exchanges.add(200 + Math.floor(rnd() * 800));
    for (const nxx of [...exchanges].sort((a, b) => a - b)) {
      const lines = new Set<number>();
      while (lines.size < LINES_PER_EXCHANGE) lines.add(Math.floor(rnd() * 10000));
      for (const line of [...lines].sort((a, b) => a - b)) {
        // One number in six is voice-only: a search with features [sms] has something to filter.
        const features: Feature[] = rnd() < 1 / 6 ? ['voice'] : ['voice', 'sms'];
        out.push({
          tn: `+1${rc.npa}${nxx}${String(line).padStart(4, '0')}`,
          country: 'US',
          state: rc.state,
          city: rc.city,
          rate_center: rc.rate_center,
          features,
          setup_cost: toDollars(NUMBER_SETUP_MICROS),
          monthly_cost: toDollars(NUMBER_MONTHLY_MICROS),
        });
      }
    }
  }
  return out;
}

let cache: InventoryNumber[] | undefined;
let byTn: Map<string, InventoryNumber> | undefined;

/** The whole inventory, in a stable order (area code list order, then number). */
export function inventory(): readonly InventoryNumber[] {
  cache ??= generate();
  return cache;
}

export function findInventoryNumber(tn: string): InventoryNumber | undefined {
  byTn ??= new Map(inventory().map((n) => [n.tn, n]));
  return byTn.get(tn);
}

export interface InventoryQuery {
  npa?: string | undefined;
  pattern?: string | undefined;
  state?: string | undefined;
  city?: string | undefined;
  features?: readonly Feature[] | undefined;
}

/** Filters and pages the inventory; `taken` holds numbers already leased (never offered). */
export function searchInventory(
  query: InventoryQuery,
  page: { page: number; size: number },
  taken: ReadonlySet<string> = new Set(),
): { total: number; data: InventoryNumber[] } {
  const re = query.pattern === undefined ? undefined : patternToRegExp(query.pattern);
  const state = query.state?.toLowerCase();
  const city = query.city?.toLowerCase();
  const matches = inventory().filter((n) => {
    if (taken.has(n.tn)) return false;
    const national = n.tn.slice(2);
    if (query.npa !== undefined && !national.startsWith(query.npa)) return false;
    if (re !== undefined && !re.test(national)) return false;
    if (state !== undefined && n.state.toLowerCase() !== state) return false;
    if (city !== undefined && n.city.toLowerCase() !== city) return false;
    if (query.features !== undefined && !query.features.every((f) => n.features.includes(f))) return false;
    return true;
  });
  const start = (page.page - 1) * page.size;
  return { total: matches.length, data: matches.slice(start, start + page.size) };
}
