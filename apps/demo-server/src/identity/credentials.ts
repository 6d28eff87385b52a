import type { EventEmitter } from 'node:events';
import { parseBasic, parseIntegrator } from '@callwire/auth-core';
import type { ServerConfig } from '../config.js';
import type { IdentitySignals } from '../context.js';
import { ApiError, rateLimited } from '../http/api-error.js';
import { challenge } from '../http/www-authenticate.js';
import { apiAccessDisabled, invalidCredentials, invalidToken } from './auth/auth-errors.js';
import { BruteForceGuard } from './auth/brute-force.js';
import { identityKey } from './auth/identity-key.js';
import { PasswordHasher } from './auth/passwords.js';
import type { IntegratorPrincipal, Principal, UserPrincipal } from './auth/principal.js';
import { RateLimiter } from './auth/rate-limit.js';
import {
  API_TOKEN_PREFIX,
  SESSION_TOKEN_PREFIX,
  sameSecret,
  tokenHash,
  tokenSelector,
} from './auth/tokens.js';
import { VerifiedCache, type VerifyOutcome } from './auth/verified-cache.js';
import type { CredentialStore } from './credential-store.js';
import { type UserRow, userIdentity } from './identity-store.js';

type MaybePromise<T> = T | Promise<T>;

/** The lower-cased scheme of an Authorization header and what follows it (undefined: no space). */
interface Scheme {
  scheme: string;
  rest: string | undefined;
}
const BASIC: Scheme = { scheme: 'basic', rest: undefined };
const INTEGRATOR: Scheme = { scheme: 'integrator', rest: undefined };

/**
 * Splits an Authorization header into its scheme and the rest. The spellings clients send (`Basic `,
 * `Bearer `, `Integrator `) are recognised without building strings: this runs on every request.
 * Basic and Integrator parse the whole header themselves, so their rest is not cut out.
 */
function schemeOf(authorization: string): Scheme {
  if (authorization.startsWith('Basic ')) return BASIC;
  if (authorization.startsWith('Bearer ')) return { scheme: 'bearer', rest: authorization.slice(7) };
  if (authorization.startsWith('Integrator ')) return INTEGRATOR;
  const header = authorization.trimStart();
  const space = header.indexOf(' ');
  if (space < 0) return { scheme: header.trimEnd().toLowerCase(), rest: undefined };
  return { scheme: header.slice(0, space).toLowerCase(), rest: header.slice(space + 1) };
}

export interface CredentialVerifierOptions {
  store: CredentialStore;
  config: Pick<ServerConfig, 'argon2' | 'credentialCacheTtlMs' | 'rateLimit'>;
  now: () => number;
  /** Where `user.changed` is announced when {@link CredentialVerifier.userChanged} runs. */
  signals: EventEmitter<IdentitySignals>;
  /** Another instance may revoke a token (PostgreSQL): cached token lookups then live this long at most. */
  sharedDatabase: boolean;
}

/** What a request presented, before verification. */
export interface PresentedCredentials {
  authorization: string | undefined;
  xAuthToken: string | undefined;
  /** On GET /rest/auth a Basic header decides and an accompanying X-Auth-Token is ignored. */
  basicWins: boolean;
}

/**
 * Where a request came from. Read only by the password doors (lockouts count per address): the
 * request itself fits, and its address is then looked up only when a password door needs it.
 */
export interface RequestOrigin {
  readonly ip: string;
}

/**
 * The four doors (Basic, session or API token bearer, Integrator): turns what a request presented
 * into a principal. Verified credentials are cached (a hit costs one hash and a few Map lookups),
 * failed password checks lock an (identity, IP) out for a while, and every principal has a
 * per-minute request budget.
 */
export class CredentialVerifier {
  readonly hasher: PasswordHasher;
  readonly basicCache: VerifiedCache<UserPrincipal>;
  readonly integratorCache: VerifiedCache<IntegratorPrincipal>;
  readonly tokenCache: VerifiedCache<UserPrincipal>;
  readonly bruteForce: BruteForceGuard;
  readonly rateLimiter: RateLimiter;
  readonly #store: CredentialStore;
  readonly #now: () => number;
  readonly #signals: EventEmitter<IdentitySignals>;

  constructor(options: CredentialVerifierOptions) {
    this.#store = options.store;
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

  /**
   * Credentials were revoked here (logout, refresh reuse, token DELETE): drops them from the cache
   * and announces `credentials.revoked` (sockets opened with them close).
   */
  revoked(userId: string, credentialIds: readonly string[], tag: string): void {
    this.tokenCache.invalidate(tag);
    for (const id of credentialIds) this.tokenCache.invalidate(`cred:${id}`);
    this.#signals.emit('credentials.revoked', { userId, credentialIds });
  }

  /** An account's integrator links changed. */
  integratorChanged(appKey: string): void {
    this.integratorCache.invalidate(`integrator:${appKey}`);
  }

  // ---------------------------------------------------------------- doors

  /**
   * Resolves the principal of a request: undefined when it presented no credentials at all,
   * otherwise a principal or an ApiError (400 two doors, 401, 403, 429). Without a promise when the
   * credentials are in a cache (the hot path of every request); throws ApiErrors synchronously.
   */
  resolvePrincipal(
    presented: PresentedCredentials,
    origin: RequestOrigin,
  ): MaybePromise<Principal | undefined> {
    const authorization = presented.authorization;
    let xToken = presented.xAuthToken;
    if (authorization === undefined || authorization === '') {
      if (xToken === undefined || xToken === '') return undefined;
      return this.#bearer(xToken.trim());
    }
    const { scheme, rest } = schemeOf(authorization);
    if (scheme === 'bearer') {
      const token = rest === undefined ? '' : rest.trim();
      if (token === '') throw invalidToken('invalid_token', 'The bearer token is missing');
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
      return scheme === 'basic'
        ? this.#basic(authorization, origin)
        : this.#integrator(authorization, origin);
    }
    throw new ApiError(
      'unauthenticated',
      'Unsupported Authorization scheme: use Basic, Bearer or Integrator',
      { headers: { 'www-authenticate': challenge(false) } },
    );
  }

  #basic(header: string, origin: RequestOrigin): MaybePromise<UserPrincipal> {
    // Hot path: a verified header costs one hash and a Map lookup, no parsing. A lockout still
    // applies to it ("whether or not the next password is right"); the address is only read when
    // some address has failures at all.
    const key = this.basicCache.key(header);
    const hit = this.basicCache.get(key);
    if (hit !== undefined) {
      if (this.bruteForce.anyFailures() && this.bruteForce.hasFailures(origin.ip)) {
        const wait = this.bruteForce.retryAfter(hit.user.email, origin.ip);
        if (wait > 0) throw rateLimited(wait, 'Too many failed sign-in attempts; retry later');
      }
      return hit;
    }
    return this.#basicSlow(header, origin.ip, key);
  }

  async #basicSlow(header: string, ip: string, key: string): Promise<UserPrincipal> {
    const parsed = parseBasic(header);
    if (!parsed.ok) throw invalidCredentials();
    const wait = this.bruteForce.retryAfter(parsed.username, ip);
    if (wait > 0) throw rateLimited(wait, 'Too many failed sign-in attempts; retry later');
    const outcome = await this.basicCache.resolve(key, async () => {
      try {
        const row = await this.checkPassword(parsed.username, parsed.password, ip);
        const principal = await this.#userPrincipal(row, 'basic', undefined);
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
    const row = username.length <= 320 ? await this.#store.userByEmail(username) : undefined;
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

  #integrator(header: string, origin: RequestOrigin): MaybePromise<IntegratorPrincipal> {
    const key = this.integratorCache.key(header);
    const hit = this.integratorCache.get(key);
    if (hit !== undefined) {
      if (this.bruteForce.anyFailures() && this.bruteForce.hasFailures(origin.ip)) {
        const wait = this.bruteForce.retryAfter(hit.key, origin.ip);
        if (wait > 0) throw rateLimited(wait, 'Too many failed sign-in attempts; retry later');
      }
      return hit;
    }
    return this.#integratorSlow(header, origin.ip, key);
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
        const app = await this.#store.integratorApp(parsed.appKey);
        const secrets = app === undefined ? [] : await this.#store.liveSecretHashes(app.app_key);
        let ok = false;
        if (secrets.length === 0) await this.hasher.dummyVerify(parsed.secret);
        for (const secretHash of secrets) {
          if (await this.hasher.verify(parsed.secret, secretHash)) {
            ok = true;
            break;
          }
        }
        if (!ok || app === undefined) {
          this.bruteForce.fail(id, ip);
          return { ok: false, error: invalidCredentials() };
        }
        this.bruteForce.succeed(id, ip);
        const memberships = await this.#store.integratorLinks(app.app_key);
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
    // Hot path: a Map lookup by the token's leading characters, then a constant-time comparison of
    // the whole token with the one the cached principal was verified for (it holds its token anyway:
    // GET /rest/auth answers with it). How long a lookup takes can thus reveal nothing about the
    // rest of a token. The database only ever sees the token's hash.
    const now = this.#now();
    const selector = tokenSelector(token);
    const hit = this.tokenCache.get(selector, now);
    if (hit !== undefined && sameSecret(hit.token, token)) return this.#unexpired(hit, now);
    return this.tokenCache
      .resolve(selector, () => this.#lookupToken(token, tokenHash(token)))
      .then((outcome) => {
        if (!outcome.ok) throw outcome.error;
        // Another token with the same leading characters was being verified at the same moment:
        // this one is verified on its own, never handed that token's principal.
        if (!sameSecret(outcome.value.token, token)) return this.#verifyUncached(token);
        return this.#unexpired(outcome.value, this.#now());
      });
  }

  async #verifyUncached(token: string): Promise<UserPrincipal> {
    const outcome = await this.#lookupToken(token, tokenHash(token));
    if (!outcome.ok) throw outcome.error;
    return this.#unexpired(outcome.value, this.#now());
  }

  #unexpired(principal: UserPrincipal, now: number): UserPrincipal {
    if (principal.expiresAt !== undefined && principal.expiresAt <= now) {
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
      const row = await this.#store.sessionByTokenHash(hash);
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
      const row = await this.#store.apiTokenByHash(hash);
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
    const user = await this.#store.user(userId);
    if (user === undefined)
      return { ok: false, error: invalidToken('invalid_token', 'The token is not valid') };
    if (user.status !== 'active' || user.api_access !== 1) return { ok: false, error: apiAccessDisabled() };
    const principal = await this.#userPrincipal(user, door, {
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
    const memberships = await this.#store.memberships(row.uuid);
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
}
