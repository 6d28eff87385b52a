import type { Access } from '@callwire/types';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountScopeMode } from '../config.js';
import { accountForbidden } from '../identity/auth/auth-errors.js';
import { accessAtLeast, accessOn, type Principal } from '../identity/auth/principal.js';
import { ApiError } from './api-error.js';
import type { ScopedAccount } from './fastify-types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Account ids as named → their checked, lower-case form: a request naming a known one skips the pattern. */
const validIds = new Map<string, string>();
const MAX_VALID_IDS = 10_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads and removes `account_id` from the query and the body and reads `X-Account-Id`.
 * Removing it means route schemas never need to list it and strict schemas do not refuse it.
 * Every place that names it must name the same account.
 */
export function takeNamedAccount(request: FastifyRequest): string | undefined {
  const query = request.query;
  const body = request.body;
  const header = request.headers['x-account-id'];
  // Checked place by place without collecting them first: this runs on every scoped request, and
  // most name the account once or not at all.
  let chosen: string | undefined;
  if (isPlainObject(query) && 'account_id' in query) {
    const named = query.account_id;
    request.query = withoutAccountId(query);
    chosen = sameAccount(chosen, checkedAccountId('query.account_id', named));
  }
  if (isPlainObject(body) && 'account_id' in body) {
    const named = body.account_id;
    delete body.account_id;
    chosen = sameAccount(chosen, checkedAccountId('body.account_id', named));
  }
  if (header !== undefined) chosen = sameAccount(chosen, checkedAccountId('header X-Account-Id', header));
  return chosen;
}

/**
 * A query object with nothing inherited (no `constructor`, no `__proto__` setter), as Fastify's
 * parser makes them. Made by `new` rather than `Object.create(null)`, which V8 builds as a slow
 * dictionary-mode object.
 */
const BareQuery = function BareQuery() {} as unknown as {
  new (): Record<string, unknown>;
  prototype: object;
};
BareQuery.prototype = Object.create(null);

/**
 * The query without `account_id`, as a new object: deleting a property from the parsed query turns
 * it into a slow dictionary-mode object, which every later read of the query (and the collector)
 * then pays for.
 */
function withoutAccountId(query: Record<string, unknown>): Record<string, unknown> {
  const rest = new BareQuery();
  for (const name in query) if (name !== 'account_id') rest[name] = query[name];
  return rest;
}

/** The account id as named in `where`, checked and lower-cased, or the ApiError saying what is wrong. */
function checkedAccountId(where: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new ApiError('invalid_request', `${where} must be given once, as one account uuid`);
  }
  let id = validIds.get(value);
  if (id === undefined) {
    const v = value.trim();
    if (!UUID.test(v)) {
      throw new ApiError('validation_failed', `${where} must be an account uuid`, {
        fields: {
          [where.startsWith('header') ? 'header.x-account-id' : where]: { message: 'must be a UUID' },
        },
      });
    }
    id = v.toLowerCase();
    if (validIds.size >= MAX_VALID_IDS) validIds.clear();
    validIds.set(value, id);
  }
  return id;
}

function sameAccount(chosen: string | undefined, id: string): string {
  if (chosen !== undefined && chosen !== id) {
    throw new ApiError(
      'invalid_request',
      'The account is named twice with different values (account_id and X-Account-Id): name it once',
    );
  }
  return id;
}

function accountList(principal: Principal) {
  return principal.memberships.map((m) => ({ uuid: m.accountId, name: m.accountName }));
}

/**
 * Decides the account a request runs under (named account, token binding, default account, several
 * memberships) and checks the access level. Principals are cached objects (see the
 * verified-credential cache), so the decision for one principal, access need and named account is
 * remembered on them, in maps keyed without building a string per request; a changed user gets a
 * new principal object and so a fresh decision.
 */
const decisions = new WeakMap<Principal, Map<string, Map<string, ScopedAccount>>>();

/** One key per scoping mode and access need. */
const NEED_KEYS: Record<AccountScopeMode, Record<Access, string>> = {
  strict: { viewer: 'strict viewer', manager: 'strict manager', admin: 'strict admin' },
  lenient: { viewer: 'lenient viewer', manager: 'lenient manager', admin: 'lenient admin' },
};
const MAX_DECISIONS = 64;

export function resolveAccount(
  principal: Principal,
  named: string | undefined,
  mode: AccountScopeMode,
  need: Access,
): ScopedAccount {
  let byNeed = decisions.get(principal);
  const needKey = NEED_KEYS[mode][need];
  let byName = byNeed?.get(needKey);
  const nameKey = named ?? '';
  const known = byName?.get(nameKey);
  if (known !== undefined) return known;
  const decided = decideAccount(principal, named, mode, need);
  if (byNeed === undefined) {
    byNeed = new Map();
    decisions.set(principal, byNeed);
  }
  if (byName === undefined) {
    byName = new Map();
    byNeed.set(needKey, byName);
  }
  if (byName.size < MAX_DECISIONS) byName.set(nameKey, decided);
  return decided;
}

function decideAccount(
  principal: Principal,
  named: string | undefined,
  mode: AccountScopeMode,
  need: Access,
): ScopedAccount {
  let accountId: string;
  if (named !== undefined) {
    // A token is bound to its account: naming another one is refused, even one the user belongs to
    // (masquerade exists for that).
    if (principal.boundAccountId !== undefined && principal.boundAccountId !== named)
      throw accountForbidden();
    accountId = named;
  } else if (principal.kind === 'integrator') {
    throw new ApiError('account_required', 'Integrator requests must name the account: add account_id', {
      accounts: accountList(principal),
    });
  } else if (principal.boundAccountId !== undefined) {
    accountId = principal.boundAccountId;
  } else if (principal.memberships.length === 1) {
    accountId = (principal.memberships[0] as { accountId: string }).accountId;
  } else if (principal.memberships.length === 0) {
    throw new ApiError('account_forbidden', 'This user belongs to no account');
  } else if (mode === 'lenient') {
    const def = principal.memberships.find((m) => m.accountId === principal.user.defaultAccountId);
    accountId = (def ?? (principal.memberships[0] as { accountId: string })).accountId;
  } else {
    throw new ApiError(
      'account_required',
      'This user belongs to several accounts: name one with account_id (query or body) or the X-Account-Id header',
      { accounts: accountList(principal) },
    );
  }
  const access = accessOn(principal, accountId);
  if (access === undefined) throw accountForbidden();
  if (!accessAtLeast(access, need)) {
    throw new ApiError('forbidden', `This needs ${need} access to the account; you have ${access} access`);
  }
  const name = principal.memberships.find((m) => m.accountId === accountId)?.accountName ?? '';
  return { id: accountId, name, access };
}

export function applyScope(
  request: FastifyRequest,
  reply: FastifyReply,
  mode: AccountScopeMode,
  need: Access,
): void {
  const principal = request.principal;
  if (principal === null) return;
  const named = takeNamedAccount(request);
  const account = resolveAccount(principal, named, mode, need);
  request.account = account;
  reply.header('x-account-id', account.id);
}
