import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AccountUserStore } from './account-user-store.js';
import type { ApiTokenStore } from './api-token-store.js';
import type { CredentialVerifier } from './credentials.js';
import type { Sessions } from './sessions.js';

/** What the identity routes are built from (see area.ts). */
export interface IdentityDeps {
  db: Kysely<Database>;
  now: () => number;
  credentials: CredentialVerifier;
  sessions: Sessions;
  apiTokens: ApiTokenStore;
  accountUsers: AccountUserStore;
  /** Whether a user has an authenticated websocket on any instance (`wss_online`). */
  isOnline(userId: string): Promise<boolean>;
}
