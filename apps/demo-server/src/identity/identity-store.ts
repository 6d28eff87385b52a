import type { Account, User } from '@callwire/types';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { prepared } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { toBool } from '../db/time.js';
import { identityKey } from './auth/identity-key.js';
import type { PrincipalMembership, UserIdentity } from './auth/principal.js';
import type { AccountTable, UserTable } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;
export type UserRow = Selectable<UserTable>;
export type AccountRow = Selectable<AccountTable>;

/** Micro-dollars → the API's USD number with at most 5 decimals. */
export function microsToDollars(micros: number): number {
  return Math.round(Number(micros) / 10) / 100_000;
}

export function userDto(row: UserRow): User {
  return {
    uuid: row.uuid,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    phone_number: row.phone_number,
    role: row.role,
    api_access: toBool(row.api_access),
    status: row.status,
  };
}

export function accountDto(row: AccountRow): Account {
  return {
    uuid: row.uuid,
    name: row.name,
    email: row.email,
    level: row.level,
    balance: microsToDollars(row.balance_micros),
    time_zone: row.time_zone,
    created_on: row.created_on,
    modified_on: row.modified_on,
  };
}

export function userIdentity(row: UserRow): UserIdentity {
  return {
    uuid: row.uuid,
    email: row.email,
    role: row.role,
    apiAccess: toBool(row.api_access),
    status: row.status,
    defaultAccountId: row.default_account_id,
  };
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where('email_key', '=', identityKey(email))
    .where('deleted_on', 'is', null)
    .executeTakeFirst();
}

export function getUser(db: Db, uuid: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where('uuid', '=', uuid)
    .where('deleted_on', 'is', null)
    .executeTakeFirst();
}

const accountById = prepared<AccountRow, [string]>(
  (db) => db.selectFrom('account').selectAll().where('uuid', '=', '').where('deleted_on', 'is', null),
  { cacheUntilWrite: true },
);

/**
 * The account row when it is cached and still exact (account rows are kept until the next write),
 * without a promise; undefined when it has to be read (or the account does not exist).
 */
export function cachedAccount(db: Db, uuid: string): AccountRow | undefined {
  return accountById.cached(db, uuid)?.[0];
}

export async function getAccount(db: Db, uuid: string): Promise<AccountRow | undefined> {
  return (await accountById(db, uuid))[0];
}

/** The user's memberships of live accounts, default account first, then by name. */
export async function membershipsOf(db: Db, userId: string): Promise<PrincipalMembership[]> {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('account', 'account.uuid', 'membership.account_id')
    .select([
      'membership.account_id as accountId',
      'account.name as accountName',
      'membership.access as access',
    ])
    .where('membership.user_id', '=', userId)
    .where('account.deleted_on', 'is', null)
    .orderBy('account.name')
    .execute();
  return rows;
}

export async function integratorLinks(db: Db, appKey: string): Promise<PrincipalMembership[]> {
  const rows = await db
    .selectFrom('integrator_link')
    .innerJoin('account', 'account.uuid', 'integrator_link.account_id')
    .select(['integrator_link.account_id as accountId', 'account.name as accountName'])
    .where('integrator_link.app_key', '=', appKey)
    .where('account.deleted_on', 'is', null)
    .orderBy('account.name')
    .execute();
  return rows.map((r) => ({ ...r, access: 'manager' as const }));
}
