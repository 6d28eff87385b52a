import type { CallwireClient } from '@callwire/rest-client';
import type { Lease } from '@callwire/types';

/** The account's numbers that can do `feature`, for the "From" pickers. */
export async function numbersWith(client: CallwireClient, feature: 'sms' | 'voice'): Promise<string[]> {
  const leases: Lease[] = await client.numbers.list().toArray();
  return leases.filter((lease) => lease[feature]).map((lease) => lease.tn);
}

/** Inserts or replaces by uuid, newest `created_on` first, at most `limit`. */
export function upsert<T extends { uuid: string; created_on?: string; init_on?: string }>(
  list: readonly T[],
  item: T,
  limit = 50,
): T[] {
  const at = (x: T) => x.created_on ?? x.init_on ?? '';
  const rest = list.filter((x) => x.uuid !== item.uuid);
  return [item, ...rest].sort((a, b) => at(b).localeCompare(at(a))).slice(0, limit);
}
