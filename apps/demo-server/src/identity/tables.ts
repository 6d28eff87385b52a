/**
 * Tables of migration 001 (identity, credentials, idempotency). Conventions in ../db/time.ts:
 * ISO strings for times, 0/1 for booleans, integer micro-dollars for money.
 */
export interface AccountTable {
  uuid: string;
  name: string;
  email: string;
  level: 'Level0' | 'Level1' | 'Level2';
  balance_micros: number;
  time_zone: string;
  created_on: string;
  modified_on: string;
  deleted_on: string | null;
}

export interface UserTable {
  uuid: string;
  email: string;
  /** Lower-cased email: the login name, matched case-insensitively. */
  email_key: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  role: 'Admin' | 'User';
  api_access: number;
  status: 'active' | 'disabled';
  default_account_id: string | null;
  created_on: string;
  modified_on: string;
  deleted_on: string | null;
}

export interface MembershipTable {
  user_id: string;
  account_id: string;
  access: 'admin' | 'manager' | 'viewer';
  created_on: string;
}

/**
 * One row per issued session token. Rows of one login share `family_id`; a refresh spends the row's
 * refresh token (`refreshed_on`) and inserts the next row of the family. Tokens are stored only as
 * SHA-256 hashes: they are 256-bit random values, so a fast hash is enough and a database dump
 * reveals nothing usable.
 */
export interface SessionTable {
  uuid: string;
  family_id: string;
  user_id: string;
  account_id: string;
  token_hash: string;
  refresh_hash: string;
  token_expires_on: string;
  refresh_expires_on: string;
  created_on: string;
  refreshed_on: string | null;
  revoked_on: string | null;
}

export interface ApiTokenTable {
  uuid: string;
  user_id: string;
  account_id: string;
  name: string;
  token_hash: string;
  ttl: number;
  expired_on: string;
  created_on: string;
  revoked_on: string | null;
}

export interface IntegratorAppTable {
  app_key: string;
  name: string;
  created_on: string;
}

/** Up to two active secrets per app, for rotation; argon2id hashes. */
export interface IntegratorSecretTable {
  uuid: string;
  app_key: string;
  secret_hash: string;
  created_on: string;
  revoked_on: string | null;
}

export interface IntegratorLinkTable {
  app_key: string;
  account_id: string;
  created_on: string;
}

/** A POST's first response, replayed for the same principal + key + body within the TTL. */
export interface IdempotencyTable {
  principal: string;
  key: string;
  body_hash: string;
  /** 'pending' while the first request runs; 'done' with the response once answered. */
  state: 'pending' | 'done';
  status: number | null;
  /** JSON object of the response headers worth replaying (content-type, location, x-account-id). */
  headers: string | null;
  body: string | null;
  created_on: string;
  expires_on: string;
}

/** Migration 005: the secret an account's SMS status callbacks are signed with. */
export interface CallbackSecretTable {
  account_id: string;
  secret: string;
  created_on: string;
}

export interface CoreTables {
  account: AccountTable;
  app_user: UserTable;
  membership: MembershipTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  integrator_app: IntegratorAppTable;
  integrator_secret: IntegratorSecretTable;
  integrator_link: IntegratorLinkTable;
  idempotency: IdempotencyTable;
  account_callback_secret: CallbackSecretTable;
}
