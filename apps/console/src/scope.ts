import type { CallwireClient } from '@callwire/rest-client';
import type { AccountAccess } from '@callwire/types';
import type { LiveFeed } from './live-feed.js';

/** Everything a screen needs about the account the user picked; nothing of any other account. */
export interface AccountScope {
  account: AccountAccess;
  /** Bound to `account`: every request names it. */
  client: CallwireClient;
  feed: LiveFeed;
}

/** Whether the user may change things here (viewers read only). */
export function canWrite(scope: AccountScope): boolean {
  return scope.account.access !== 'viewer';
}
