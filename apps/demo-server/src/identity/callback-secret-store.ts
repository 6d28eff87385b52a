import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isoTime } from '../db/time.js';

/**
 * Each account's callback signing secret: SMS status callbacks (`custom_callback_url`, a messaging
 * profile's `callback_url`) are signed with it exactly as webhooks are signed with their
 * subscription's secret. It is made on first use (the first callback or the first read) and
 * replaced by a rotation; account admins read it over REST.
 */
export interface CallbackSecret {
  secret: string;
  createdOn: string;
}

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The account's secret, made now if it has none (racing callers all end up with the stored one). */
export async function callbackSecret(
  db: Kysely<Database>,
  accountId: string,
  now: number,
): Promise<CallbackSecret> {
  const found = await read(db, accountId);
  if (found !== undefined) return found;
  await db
    .insertInto('account_callback_secret')
    .values({ account_id: accountId, secret: newSecret(), created_on: isoTime(now) })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
  return (await read(db, accountId)) as CallbackSecret;
}

/** Replaces the account's secret; callbacks sent from now on are signed with the new one. */
export async function rotateCallbackSecret(
  db: Kysely<Database>,
  accountId: string,
  now: number,
): Promise<CallbackSecret> {
  const row = { account_id: accountId, secret: newSecret(), created_on: isoTime(now) };
  await db
    .insertInto('account_callback_secret')
    .values(row)
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({ secret: row.secret, created_on: row.created_on }),
    )
    .execute();
  return { secret: row.secret, createdOn: row.created_on };
}

async function read(db: Kysely<Database>, accountId: string): Promise<CallbackSecret | undefined> {
  const row = await db
    .selectFrom('account_callback_secret')
    .select(['secret', 'created_on'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row === undefined ? undefined : { secret: row.secret, createdOn: row.created_on };
}
