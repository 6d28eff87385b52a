import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.js';
import type { PrincipalMembership } from './auth/principal.js';
import { findUserByEmail, getUser, integratorLinks, membershipsOf, type UserRow } from './identity-store.js';
import type { ApiTokenTable, IntegratorAppTable, SessionTable } from './tables.js';

export type SessionRow = Selectable<SessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type IntegratorAppRow = Selectable<IntegratorAppTable>;

/** The reads the credential doors make when a credential is not in their cache yet. */
export class CredentialStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  sessionByTokenHash(hash: string): Promise<SessionRow | undefined> {
    return this.#db.selectFrom('session').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  apiTokenByHash(hash: string): Promise<ApiTokenRow | undefined> {
    return this.#db.selectFrom('api_token').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  integratorApp(appKey: string): Promise<IntegratorAppRow | undefined> {
    return this.#db.selectFrom('integrator_app').selectAll().where('app_key', '=', appKey).executeTakeFirst();
  }

  /** The app's two newest unrevoked secret hashes (a rotation keeps the previous one working). */
  async liveSecretHashes(appKey: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('integrator_secret')
      .select('secret_hash')
      .where('app_key', '=', appKey)
      .where('revoked_on', 'is', null)
      .orderBy('created_on', 'desc')
      .limit(2)
      .execute();
    return rows.map((r) => r.secret_hash);
  }

  userByEmail(email: string): Promise<UserRow | undefined> {
    return findUserByEmail(this.#db, email);
  }

  user(uuid: string): Promise<UserRow | undefined> {
    return getUser(this.#db, uuid);
  }

  memberships(userId: string): Promise<PrincipalMembership[]> {
    return membershipsOf(this.#db, userId);
  }

  integratorLinks(appKey: string): Promise<PrincipalMembership[]> {
    return integratorLinks(this.#db, appKey);
  }
}
