import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { parseBasic, parseIntegrator } from '@callwire/auth-core';
import type { Session } from '@callwire/types';
import type { Kysely, Transaction } from 'kysely';
import type { ServerConfig } from '../config.js';
import type { IdentitySignals } from '../context.js';
import type { Database } from '../db/schema.js';
import { isoTime } from '../db/time.js';
import { ApiError, rateLimited } from '../http/api-error.js';
import { challenge } from '../http/www-authenticate.js';
import {
  accountDto,
  findUserByEmail,
  getAccount,
  getUser,
  integratorLinks,
  membershipsOf,
  type UserRow,
  userDto,
  userIdentity,
} from '../identity/repo.js';
import { BruteForceGuard } from './brute-force.js';
import { identityKey } from './identity-key.js';
import { PasswordHasher } from './passwords.js';
import type { IntegratorPrincipal, Principal, PrincipalMembership, UserPrincipal } from './principal.js';
import { RateLimiter } from './rate-limit.js';
import {
  API_TOKEN_PREFIX,
  newToken,
  REFRESH_TOKEN_PREFIX,
  SESSION_TOKEN_PREFIX,
  tokenHash,
} from './tokens.js';
import { VerifiedCache, type VerifyOutcome } from './verified-cache.js';

type Db = Kysely<Database> | Transaction<Database>;
type MaybePromise<T> = T | Promise<T>;

export interface AuthServiceOptions {
  db: Kysely<Database>;
  config: ServerConfig;
  now: () => number;
  signals: EventEmitter<IdentitySignals>;
  /** Another instance may revoke a token (PostgreSQL): cached token lookups then live this long at most. */
  sharedDatabase: boolean;
}

/** What a request presented, before verification. */
export interface PresentedCredentials {
  authorization: string | undefined;
  xAuthToken: string | undefined;
  ip: string;
  /** On GET /rest/auth a Basic header decides and an accompanying X-Auth-Token is ignored. */
  basicWins: boolean;
}

const INVALID_CREDENTIALS = 'The email or password is not correct';

export function invalidCredentials(): ApiError {
  return new ApiError('invalid_credentials', INVALID_CREDENTIALS, {
    headers: { 'www-authenticate': challenge(false) },
  });
}

export function invalidToken(
  code: 'invalid_token' | 'token_expired' | 'refresh_token_reused',
  message: string,
) {
  return new ApiError(code, message, { headers: { 'www-authenticate': challenge(true) } });
}

export function unauthenticated(): ApiError {
  return new ApiError(
    'unauthenticated',
    'Authentication required: send Authorization: Basic, Bearer or Integrator credentials, or X-Auth-Token',
    { headers: { 'www-authenticate': challenge(false) } },
  );
}

function apiAccessDisabled(): ApiError {
  return new ApiError('api_access_disabled', 'This user is not allowed to use the API (API access is off)');
}

export class AuthService {
  readonly hasher: PasswordHasher;
  readonly basicCache: VerifiedCache<UserPrincipal>;
  readonly integratorCache: VerifiedCache<IntegratorPrincipal>;
  readonly tokenCache: VerifiedCache<UserPrincipal>;
  readonly bruteForce: BruteForceGuard;
  readonly rateLimiter: RateLimiter;
  readonly #db: Kysely<Database>;
  readonly #config: ServerConfig;
  readonly #now: () => number;
  readonly #signals: EventEmitter<IdentitySignals>;

  constructor(options: AuthServiceOptions) {
    this.#db = options.db;
    this.#config = options.config;
    this.#now = options.now;
    this.#signals = options.signals;
    this.hasher = new PasswordHasher(options.config.argon2);
    const ttl = options.config.credentialCacheTtlMs;
    this.basicCache = new VerifiedCache(ttl, options.now);
    this.integratorCache = new VerifiedCache(ttl, options.now);
    this.tokenCache = new VerifiedCache(options.sharedDatabase ? Math.min(ttl, 5_000) : ttl, options.now);
    const rl = options.config.rateLimit;
    this.bruteForce = new BruteForceGuard(
      { perEmailIp: rl.bruteForcePerEmailIp, perIp: rl.bruteForcePerIp, windowMs: rl.bruteForceWindowMs },
      options.now,
    );
    this.rateLimiter = new RateLimiter(rl.perPrincipalPerMinute, options.now);
  }

  /** Drops every cached principal of a user (password, api_access, status or membership changed). */
  userChanged(userId: string): void {
    this.basicCache.invalidate(`user:${userId}`);
    this.tokenCache.invalidate(`user:${userId}`);
    this.#signals.emit('user.changed', { userId });
  }

  /**
   * Another instance (sharing PostgreSQL) revoked credentials or changed a user: drop what this
   * instance cached about them, without announcing anything again.
   */
  forgetCredentials(credentialIds: readonly string[]): void {
    for (const id of credentialIds) this.tokenCache.invalidate(`cred:${id}`);
  }

  forgetUser(userId: string): void {
    this.basicCache.invalidate(`user:${userId}`);
    this.tokenCache.invalidate(`user:${userId}`);
  }

  /** An account's integrator links changed. */
  integratorChanged(appKey: string): void {
    this.integratorCache.invalidate(`integrator:${appKey}`);
  }

  // ---------------------------------------------------------------- doors

  /**
   * Resolves the principal of a request: undefined when it presented no credentials at all,
   * otherwise a principal or an ApiError (400 two doors, 401, 403, 429).
   */
  async authenticate(presented: PresentedCredentials): Promise<Principal | undefined> {
    return this.resolvePrincipal(presented);
  }

  /**
   * {@link authenticate} without a promise when the credentials are in a cache (the hot path of every
   * request): returns the principal, undefined, or a promise of either; throws ApiErrors synchronously.
   */
  resolvePrincipal(presented: PresentedCredentials): MaybePromise<Principal | undefined> {
    const { authorization, ip } = presented;
    let xToken = presented.xAuthToken;
    if (authorization === undefined || authorization === '') {
      if (xToken === undefined || xToken === '') return undefined;
      return this.#bearer(xToken.trim());
    }
    const space = authorization.trimStart().indexOf(' ');
    const scheme = (
      space < 0 ? authorization.trim() : authorization.trimStart().slice(0, space)
    ).toLowerCase();
    if (scheme === 'bearer') {
      const token = authorization
        .trimStart()
        .slice(space + 1)
        .trim();
      if (space < 0 || token === '') throw invalidToken('invalid_token', 'The bearer token is missing');
      if (xToken !== undefined && xToken !== '' && xToken.trim() !== token) {
        throw new ApiError(
          'invalid_request',
          'Authorization: Bearer and X-Auth-Token carry different tokens: send one of them',
        );
      }
      return this.#bearer(token);
    }
    if (scheme === 'basic' || scheme === 'integrator') {
      if (presented.basicWins && scheme === 'basic') xToken = undefined;
      if (xToken !== undefined && xToken !== '') {
        throw new ApiError(
          'invalid_request',
          `Two authentication methods at once (${scheme === 'basic' ? 'Basic' : 'Integrator'} and X-Auth-Token): send exactly one`,
        );
      }
      return scheme === 'basic' ? this.#basic(authorization, ip) : this.#integrator(authorization, ip);
    }
    throw new ApiError(
      'unauthenticated',
      'Unsupported Authorization scheme: use Basic, Bearer or Integrator',
      { headers: { 'www-authenticate': challenge(false) } },
    );
  }

  async verifyBasic(header: string, ip: string): Promise<UserPrincipal> {
    return this.#basic(header, ip);
  }

  #basic(header: string, ip: string): MaybePromise<UserPrincipal> {
    // Hot path: a verified header costs one hash and two Map lookups, no parsing. A lockout still
    // applies to it ("whether or not the next password is right").
    const key = this.basicCache.key(header);
    const hit = this.basicCache.get(key);
    if (hit !== undefined) {
      if (this.bruteForce.hasFailures(ip)) {
        const wait = this.bruteForce.retryAfter(hit.user.email, ip);
        if (wait > 0) throw rateLimited(wait, 'Too many failed sign-in attempts; retry later');
      }
      return hit;
    }
    return this.#basicSlow(header, ip, key);
  }

  async #basicSlow(header: string, ip: string, key: string): Promise<UserPrincipal> {
    const parsed = parseBasic(header);
    if (!parsed.ok) throw invalidCredentials();
    const wait = this.bruteForce.retryAfter(parsed.username, ip);
    if (wait > 0) throw rateLimited(wait, 'Too many failed sign-in attempts; retry later');
    const outcome = await this.basicCache.resolve(key, async () => {
      try {
        const row = await this.checkPassword(parsed.username, parsed.password, ip);
        const principal = await this.#userPrincipal(this.#db, row, 'basic', undefined);
        return { ok: true, value: principal, tags: [`user:${row.uuid}`] };
      } catch (error) {
        return { ok: false, error };
      }
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * The password check shared by Basic, login and GET /rest/auth. Unknown user, wrong password and
   * disabled user with a wrong password all end in the same 401 after one argon2 run; only the right
   * password of a user without API access earns the 403.
   */
  async checkPassword(username: string, password: string, ip: string): Promise<UserRow> {
    const wait = this.bruteForce.retryAfter(username, ip);
    if (wait > 0) throw rateLimited(wait, 'Too many failed sign-in attempts; retry later');
    const row = username.length <= 320 ? await findUserByEmail(this.#db, username) : undefined;
    const ok =
      row === undefined
        ? await this.hasher.dummyVerify(password)
        : await this.hasher.verify(password, row.password_hash);
    if (!ok || row === undefined) {
      this.bruteForce.fail(username, ip);
      throw invalidCredentials();
    }
    this.bruteForce.succeed(username, ip);
    if (row.status !== 'active' || row.api_access !== 1) throw apiAccessDisabled();
    return row;
  }

  async verifyIntegrator(header: string, ip: string): Promise<IntegratorPrincipal> {
    return this.#integrator(header, ip);
  }

  #integrator(header: string, ip: string): MaybePromise<IntegratorPrincipal> {
    const key = this.integratorCache.key(header);
    const hit = this.integratorCache.get(key);
    if (hit !== undefined) {
      if (this.bruteForce.hasFailures(ip)) {
        const wait = this.bruteForce.retryAfter(hit.key, ip);
        if (wait > 0) throw rateLimited(wait, 'Too many failed sign-in attempts; retry later');
      }
      return hit;
    }
    return this.#integratorSlow(header, ip, key);
  }

  async #integratorSlow(header: string, ip: string, key: string): Promise<IntegratorPrincipal> {
    const parsed = parseIntegrator(header);
    if (!parsed.ok) throw invalidCredentials();
    // Counted under the normalised key like e-mails; the app key itself is looked up exactly.
    const id = `integrator:${identityKey(parsed.appKey)}`;
    const wait = this.bruteForce.retryAfter(id, ip);
    if (wait > 0) throw rateLimited(wait, 'Too many failed sign-in attempts; retry later');
    const outcome = await this.integratorCache.resolve(
      key,
      async (): Promise<VerifyOutcome<IntegratorPrincipal>> => {
        const app = await this.#db
          .selectFrom('integrator_app')
          .selectAll()
          .where('app_key', '=', parsed.appKey)
          .executeTakeFirst();
        const secrets =
          app === undefined
            ? []
            : await this.#db
                .selectFrom('integrator_secret')
                .select('secret_hash')
                .where('app_key', '=', app.app_key)
                .where('revoked_on', 'is', null)
                .orderBy('created_on', 'desc')
                .limit(2)
                .execute();
        let ok = false;
        if (secrets.length === 0) await this.hasher.dummyVerify(parsed.secret);
        for (const s of secrets) {
          if (await this.hasher.verify(parsed.secret, s.secret_hash)) {
            ok = true;
            break;
          }
        }
        if (!ok || app === undefined) {
          this.bruteForce.fail(id, ip);
          return { ok: false, error: invalidCredentials() };
        }
        this.bruteForce.succeed(id, ip);
        const memberships = await integratorLinks(this.#db, app.app_key);
        const principal: IntegratorPrincipal = {
          kind: 'integrator',
          door: 'integrator',
          appKey: app.app_key,
          name: app.name,
          memberships,
          boundAccountId: undefined,
          key: id,
        };
        return { ok: true, value: principal, tags: [id] };
      },
    );
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** A session or API token (Authorization: Bearer or X-Auth-Token). Also used by the websocket. */
  async verifyBearer(token: string): Promise<UserPrincipal> {
    return this.#bearer(token);
  }

  #bearer(token: string): MaybePromise<UserPrincipal> {
    if (token.length > 512) throw invalidToken('invalid_token', 'The token is not valid');
    const key = tokenHash(token);
    const hit = this.tokenCache.get(key);
    if (hit !== undefined) return this.#unexpired(hit);
    return this.tokenCache
      .resolve(key, () => this.#lookupToken(token, key))
      .then((outcome) => {
        if (!outcome.ok) throw outcome.error;
        return this.#unexpired(outcome.value);
      });
  }

  #unexpired(principal: UserPrincipal): UserPrincipal {
    if (principal.expiresAt !== undefined && principal.expiresAt <= this.#now()) {
      this.tokenCache.invalidate(`cred:${principal.credentialId}`);
      throw invalidToken('token_expired', 'The token has expired: refresh it or sign in again');
    }
    return principal;
  }

  async #lookupToken(token: string, hash: string): Promise<VerifyOutcome<UserPrincipal>> {
    const now = this.#now();
    let userId: string;
    let accountId: string;
    let credentialId: string;
    let familyId: string | undefined;
    let expiresAt: number;
    let door: 'session' | 'api_token';
    if (token.startsWith(SESSION_TOKEN_PREFIX)) {
      const row = await this.#db
        .selectFrom('session')
        .selectAll()
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      if (row === undefined || row.revoked_on !== null) {
        return {
          ok: false,
          error: invalidToken('invalid_token', 'The token is not valid (revoked or unknown)'),
        };
      }
      door = 'session';
      userId = row.user_id;
      accountId = row.account_id;
      credentialId = row.uuid;
      familyId = row.family_id;
      expiresAt = Date.parse(row.token_expires_on);
    } else if (token.startsWith(API_TOKEN_PREFIX)) {
      const row = await this.#db
        .selectFrom('api_token')
        .selectAll()
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      if (row === undefined || row.revoked_on !== null) {
        return {
          ok: false,
          error: invalidToken('invalid_token', 'The token is not valid (revoked or unknown)'),
        };
      }
      door = 'api_token';
      userId = row.user_id;
      accountId = row.account_id;
      credentialId = row.uuid;
      expiresAt = Date.parse(row.expired_on);
    } else {
      return { ok: false, error: invalidToken('invalid_token', 'The token is not valid') };
    }
    if (expiresAt <= now) {
      return {
        ok: false,
        error: invalidToken('token_expired', 'The token has expired: refresh it or sign in again'),
      };
    }
    const user = await getUser(this.#db, userId);
    if (user === undefined)
      return { ok: false, error: invalidToken('invalid_token', 'The token is not valid') };
    if (user.status !== 'active' || user.api_access !== 1) return { ok: false, error: apiAccessDisabled() };
    const principal = await this.#userPrincipal(this.#db, user, door, {
      accountId,
      credentialId,
      familyId,
      token,
      expiresAt,
    });
    const tags = [`user:${userId}`, `cred:${credentialId}`];
    if (familyId !== undefined) tags.push(`family:${familyId}`);
    return { ok: true, value: principal, tags };
  }

  async #userPrincipal(
    db: Db,
    row: UserRow,
    door: UserPrincipal['door'],
    bound:
      | {
          accountId: string;
          credentialId: string;
          familyId: string | undefined;
          token: string;
          expiresAt: number;
        }
      | undefined,
  ): Promise<UserPrincipal> {
    const memberships = await membershipsOf(db, row.uuid);
    return {
      kind: 'user',
      door,
      user: userIdentity(row),
      memberships,
      boundAccountId: bound?.accountId,
      credentialId: bound?.credentialId,
      sessionFamilyId: bound?.familyId,
      token: bound?.token,
      expiresAt: bound?.expiresAt,
      // Rate limits count per credential for tokens and per user for Basic.
      key: bound === undefined ? `user:${row.uuid}` : `cred:${bound.credentialId}`,
    };
  }

  /** Per-principal rate limit; throws 429 with Retry-After when over. */
  takeRate(principal: Principal): void {
    const wait = this.rateLimiter.take(principal.key);
    if (wait > 0) throw rateLimited(wait);
  }

  // ---------------------------------------------------------------- sessions

  /**
   * The account a new session binds to: the requested one (membership required), else the user's
   * default account when they still belong to it, else their only or first account.
   */
  chooseAccount(
    memberships: readonly PrincipalMembership[],
    requested: string | undefined,
    defaultId: string | null,
  ) {
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
  async issueSession(db: Db, user: UserRow, accountId: string, familyId?: string): Promise<Session> {
    const now = this.#now();
    const token = newToken(SESSION_TOKEN_PREFIX);
    const refresh = newToken(REFRESH_TOKEN_PREFIX);
    const tokenExpires = isoTime(now + this.#config.tokenLifetime * 1000);
    const refreshExpires = isoTime(now + this.#config.refreshTokenLifetime * 1000);
    await db
      .insertInto('session')
      .values({
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
      })
      .execute();
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
    const user = await this.checkPassword(input.username, input.password, ip);
    const memberships = await membershipsOf(this.#db, user.uuid);
    const accountId = this.chooseAccount(memberships, input.account_id, user.default_account_id);
    return this.issueSession(this.#db, user, accountId);
  }

  /**
   * Rotates a refresh token. The old refresh token is spent with a conditional UPDATE, so of two
   * concurrent refreshes exactly one wins; the other (like any later reuse) is treated as theft and
   * the whole family is revoked.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const hash = tokenHash(refreshToken);
    const now = this.#now();
    const result = await this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('session')
        .selectAll()
        .where('refresh_hash', '=', hash)
        .executeTakeFirst();
      if (row === undefined || !refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) {
        return { error: invalidToken('invalid_token', 'The refresh token is not valid') };
      }
      if (row.revoked_on !== null) {
        return { error: invalidToken('invalid_token', 'The refresh token was revoked: sign in again') };
      }
      const spent =
        row.refreshed_on === null
          ? await trx
              .updateTable('session')
              .set({ refreshed_on: isoTime(now) })
              .where('uuid', '=', row.uuid)
              .where('refreshed_on', 'is', null)
              .where('revoked_on', 'is', null)
              .executeTakeFirst()
          : undefined;
      if (spent === undefined || Number(spent.numUpdatedRows) !== 1) {
        const revoked = await this.#revokeFamily(trx, row.family_id, now);
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
      return { session: await this.issueSession(trx, user, row.account_id, row.family_id) };
    });
    if ('revoked' in result && result.revoked !== undefined) {
      this.#afterRevoke(result.revoked.userId, result.revoked.ids, `family:${result.revoked.familyId}`);
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
    const user = await getUser(this.#db, principal.user.uuid);
    if (user === undefined) throw invalidToken('invalid_token', 'The token is not valid');
    const memberships = await membershipsOf(this.#db, user.uuid);
    const chosen = this.chooseAccount(memberships, accountId, null);
    return this.issueSession(this.#db, user, chosen);
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
    const ids = await this.#revokeFamily(this.#db, familyId, this.#now());
    this.#afterRevoke(principal.user.uuid, ids, `family:${familyId}`);
  }

  /**
   * Logout with a refresh token (no valid bearer needed): revokes the refresh token's whole sign-in.
   * Any refresh token of the family counts, spent or expired too (the refresh route revokes the
   * family for a spent one anyway); an unknown one does nothing, so the caller learns nothing.
   */
  async logoutRefreshToken(refreshToken: string): Promise<void> {
    if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) return;
    const row = await this.#db
      .selectFrom('session')
      .select(['user_id', 'family_id'])
      .where('refresh_hash', '=', tokenHash(refreshToken))
      .executeTakeFirst();
    if (row === undefined) return;
    const live = await this.#db
      .selectFrom('session')
      .select('uuid')
      .where('family_id', '=', row.family_id)
      .where('revoked_on', 'is', null)
      .executeTakeFirst();
    if (live === undefined) return; // already logged out: nothing to revoke or announce
    const ids = await this.#revokeFamily(this.#db, row.family_id, this.#now());
    this.#afterRevoke(row.user_id, ids, `family:${row.family_id}`);
  }

  async #revokeFamily(db: Db, familyId: string, now: number): Promise<string[]> {
    const rows = await db.selectFrom('session').select('uuid').where('family_id', '=', familyId).execute();
    await db
      .updateTable('session')
      .set({ revoked_on: isoTime(now) })
      .where('family_id', '=', familyId)
      .where('revoked_on', 'is', null)
      .execute();
    return rows.map((r) => r.uuid);
  }

  #afterRevoke(userId: string, credentialIds: string[], tag: string): void {
    this.tokenCache.invalidate(tag);
    for (const id of credentialIds) this.tokenCache.invalidate(`cred:${id}`);
    this.#signals.emit('credentials.revoked', { userId, credentialIds });
  }

  /** Revokes one API token (DELETE /rest/token/{uuid}). */
  revokedApiToken(userId: string, tokenId: string): void {
    this.#afterRevoke(userId, [tokenId], `cred:${tokenId}`);
  }
}

export function accountForbidden(): ApiError {
  return new ApiError('account_forbidden', 'You may not act on this account');
}
