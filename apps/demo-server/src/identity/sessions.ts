import { randomUUID } from 'node:crypto';
import type { Session } from '@callwire/types';
import type { ServerConfig } from '../config.js';
import { isoTime } from '../db/time.js';
import { ApiError } from '../http/api-error.js';
import { accountForbidden, apiAccessDisabled, invalidToken } from './auth/auth-errors.js';
import type { Principal, PrincipalMembership } from './auth/principal.js';
import { newToken, REFRESH_TOKEN_PREFIX, SESSION_TOKEN_PREFIX, tokenHash } from './auth/tokens.js';
import type { CredentialVerifier } from './credentials.js';
import { accountDto, getAccount, getUser, membershipsOf, type UserRow, userDto } from './identity-store.js';
import type { SessionDb, SessionStore } from './session-store.js';

export interface SessionsOptions {
  store: SessionStore;
  /** Checks passwords for login and forgets revoked tokens. */
  credentials: CredentialVerifier;
  config: Pick<ServerConfig, 'tokenLifetime' | 'refreshTokenLifetime'>;
  now: () => number;
}

/**
 * The session lifecycle: login, refresh (rotation with reuse detection), masquerade, logout, and the
 * revocation of API tokens. Every revocation reaches the credential cache and the `credentials.revoked`
 * signal through the verifier.
 */
export class Sessions {
  readonly #store: SessionStore;
  readonly #credentials: CredentialVerifier;
  readonly #config: SessionsOptions['config'];
  readonly #now: () => number;

  constructor(options: SessionsOptions) {
    this.#store = options.store;
    this.#credentials = options.credentials;
    this.#config = options.config;
    this.#now = options.now;
  }

  /**
   * The account a new session binds to: the requested one (membership required), else the user's
   * default account when they still belong to it, else their only or first account.
   */
  chooseAccount(
    memberships: readonly PrincipalMembership[],
    requested: string | undefined,
    defaultId: string | null,
  ): string {
    if (requested !== undefined) {
      const m = memberships.find((x) => x.accountId === requested);
      if (m === undefined) throw accountForbidden();
      return m.accountId;
    }
    const d = memberships.find((x) => x.accountId === defaultId) ?? memberships[0];
    if (d === undefined) throw new ApiError('account_forbidden', 'This user belongs to no account');
    return d.accountId;
  }

  /** Inserts a session row (a new family unless `familyId` is given) and returns the contract's payload. */
  async issue(db: SessionDb, user: UserRow, accountId: string, familyId?: string): Promise<Session> {
    const now = this.#now();
    const token = newToken(SESSION_TOKEN_PREFIX);
    const refresh = newToken(REFRESH_TOKEN_PREFIX);
    const tokenExpires = isoTime(now + this.#config.tokenLifetime * 1000);
    const refreshExpires = isoTime(now + this.#config.refreshTokenLifetime * 1000);
    await this.#store.insert(
      {
        uuid: randomUUID(),
        family_id: familyId ?? randomUUID(),
        user_id: user.uuid,
        account_id: accountId,
        token_hash: tokenHash(token),
        refresh_hash: tokenHash(refresh),
        token_expires_on: tokenExpires,
        refresh_expires_on: refreshExpires,
        created_on: isoTime(now),
        refreshed_on: null,
        revoked_on: null,
      },
      db,
    );
    const account = await getAccount(db, accountId);
    if (account === undefined) throw accountForbidden();
    return {
      token,
      token_expiration: tokenExpires,
      token_lifetime: this.#config.tokenLifetime,
      refresh_token: refresh,
      refresh_token_expiration: refreshExpires,
      user: userDto(user),
      account: accountDto(account),
    };
  }

  async login(
    input: { username: string; password: string; account_id?: string | undefined },
    ip: string,
  ): Promise<Session> {
    const user = await this.#credentials.checkPassword(input.username, input.password, ip);
    const memberships = await membershipsOf(this.#store.db, user.uuid);
    const accountId = this.chooseAccount(memberships, input.account_id, user.default_account_id);
    return this.issue(this.#store.db, user, accountId);
  }

  /**
   * Rotates a refresh token. The old refresh token is spent with a conditional UPDATE, so of two
   * concurrent refreshes exactly one wins; the other (like any later reuse) is treated as theft and
   * the whole family is revoked.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const hash = tokenHash(refreshToken);
    const now = this.#now();
    const result = await this.#store.transaction(async (trx) => {
      const row = await this.#store.byRefreshHash(hash, trx);
      if (row === undefined || !refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) {
        return { error: invalidToken('invalid_token', 'The refresh token is not valid') };
      }
      if (row.revoked_on !== null) {
        return { error: invalidToken('invalid_token', 'The refresh token was revoked: sign in again') };
      }
      const spent = row.refreshed_on === null && (await this.#store.spend(trx, row.uuid, now));
      if (!spent) {
        const revoked = await this.#store.revokeFamily(row.family_id, now, trx);
        return {
          error: invalidToken(
            'refresh_token_reused',
            'This refresh token was already used: every session of this sign-in is now revoked; sign in again',
          ),
          revoked: { userId: row.user_id, familyId: row.family_id, ids: revoked },
        };
      }
      if (Date.parse(row.refresh_expires_on) <= now) {
        return { error: invalidToken('token_expired', 'The refresh token has expired: sign in again') };
      }
      const user = await getUser(trx, row.user_id);
      if (user === undefined)
        return { error: invalidToken('invalid_token', 'The refresh token is not valid') };
      if (user.status !== 'active' || user.api_access !== 1) return { error: apiAccessDisabled() };
      const memberships = await membershipsOf(trx, user.uuid);
      if (!memberships.some((m) => m.accountId === row.account_id)) return { error: accountForbidden() };
      return { session: await this.issue(trx, user, row.account_id, row.family_id) };
    });
    if ('revoked' in result && result.revoked !== undefined) {
      const { userId, familyId, ids } = result.revoked;
      this.#credentials.revoked(userId, ids, `family:${familyId}`);
    }
    if ('session' in result && result.session !== undefined) return result.session;
    throw result.error;
  }

  async masquerade(principal: Principal, accountId: string): Promise<Session> {
    if (principal.kind !== 'user' || principal.door !== 'session') {
      throw new ApiError(
        'invalid_request',
        'Masquerade needs a session bearer token (from POST /rest/auth/login)',
      );
    }
    const user = await getUser(this.#store.db, principal.user.uuid);
    if (user === undefined) throw invalidToken('invalid_token', 'The token is not valid');
    const memberships = await membershipsOf(this.#store.db, user.uuid);
    const chosen = this.chooseAccount(memberships, accountId, null);
    return this.issue(this.#store.db, user, chosen);
  }

  async logout(principal: Principal): Promise<void> {
    if (
      principal.kind !== 'user' ||
      principal.door !== 'session' ||
      principal.sessionFamilyId === undefined
    ) {
      throw new ApiError(
        'invalid_request',
        'Logout ends a session: send the session bearer token (API tokens are revoked with DELETE /rest/token/{uuid})',
      );
    }
    const familyId = principal.sessionFamilyId;
    const ids = await this.#store.revokeFamily(familyId, this.#now());
    this.#credentials.revoked(principal.user.uuid, ids, `family:${familyId}`);
  }

  /**
   * Logout with a refresh token (no valid bearer needed): revokes the refresh token's whole sign-in.
   * Any refresh token of the family counts, spent or expired too (the refresh route revokes the
   * family for a spent one anyway); an unknown one does nothing, so the caller learns nothing.
   */
  async logoutRefreshToken(refreshToken: string): Promise<void> {
    if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) return;
    const row = await this.#store.byRefreshHash(tokenHash(refreshToken));
    if (row === undefined) return;
    // Already logged out: nothing to revoke or announce.
    if (!(await this.#store.familyIsLive(row.family_id))) return;
    const ids = await this.#store.revokeFamily(row.family_id, this.#now());
    this.#credentials.revoked(row.user_id, ids, `family:${row.family_id}`);
  }

  /** Revokes one API token (DELETE /rest/token/{uuid}). */
  revokedApiToken(userId: string, tokenId: string): void {
    this.#credentials.revoked(userId, [tokenId], `cred:${tokenId}`);
  }
}
