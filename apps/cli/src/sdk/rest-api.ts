import type { AuthStrategy } from '@callwire/auth-core';
import type {
  Account,
  AccountAccess,
  ApiToken,
  Call,
  CallDataRecord,
  InventoryNumber,
  Lease,
  Order,
  Profile,
  Sms,
} from '@callwire/types';
import type { Context } from '../context.js';
import type { AccountApi, PrincipalApi } from './api.js';

interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  scoped: boolean;
}

/**
 * The PrincipalApi over plain fetch and an auth-core strategy: authorize, send, refresh once on a
 * 401, unwrap the envelope, throw the error family.
 */
export function createRestApi(ctx: Context, auth: AuthStrategy, fetchImpl: typeof fetch): PrincipalApi {
  const baseUrl = ctx.settings.baseUrl;

  async function call<T>(strategy: AuthStrategy, spec: RequestSpec): Promise<T> {
    const { errorFromResponse, NetworkError } = await import('@callwire/auth-core');
    const url = new URL(`${baseUrl}${spec.path}`);
    for (const [k, v] of Object.entries(spec.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const send = async () => {
      const headers = new Headers({ accept: 'application/json' });
      if (spec.body !== undefined) headers.set('content-type', 'application/json');
      if (spec.method === 'POST') headers.set('idempotency-key', crypto.randomUUID());
      await strategy.authorize({ headers, url: url.toString() }, { accountScoped: spec.scoped });
      try {
        const response = await fetchImpl(url, {
          method: spec.method,
          headers,
          ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
          signal: AbortSignal.timeout(30_000),
        });
        return { response, authorization: headers.get('authorization') ?? undefined };
      } catch (cause) {
        throw new NetworkError({
          message: `${spec.method} ${spec.path} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause,
        });
      }
    };
    let { response, authorization } = await send();
    if (
      response.status === 401 &&
      (await strategy.refresh({ ...(authorization ? { rejected: authorization } : {}) }))
    ) {
      ({ response } = await send());
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) throw errorFromResponse(response.status, json ?? text, response.headers);
    return (typeof json === 'object' && json !== null && 'payload' in json ? json.payload : json) as T;
  }

  const list = <T>(payload: unknown): T[] =>
    Array.isArray(payload) ? (payload as T[]) : ((payload as { data?: T[] } | undefined)?.data ?? []);

  function accountApi(strategy: AuthStrategy): AccountApi {
    const s = (spec: Omit<RequestSpec, 'scoped'>) => call<unknown>(strategy, { ...spec, scoped: true });
    return {
      account: async () => (await s({ method: 'GET', path: '/rest/account' })) as Account,
      searchNumbers: async (filter, limit) =>
        list<InventoryNumber>(
          await s({
            method: 'POST',
            path: '/rest/tn/search',
            query: { page: 1, size: Math.min(limit, 100) },
            body: { country: 'US', ...filter },
          }),
        ),
      orderNumbers: async (request) =>
        (await s({ method: 'POST', path: '/rest/order', body: request })) as Order,
      getOrder: async (uuid) =>
        (await s({ method: 'GET', path: `/rest/order/${encodeURIComponent(uuid)}` })) as Order,
      listNumbers: async (limit) =>
        list<Lease>(
          await s({
            method: 'POST',
            path: '/rest/lease/tn/search',
            query: { take: Math.min(limit, 100), skip: 0 },
            body: {},
          }),
        ),
      releaseNumber: async (tn) => {
        await s({ method: 'DELETE', path: `/rest/lease/tn/${encodeURIComponent(tn)}` });
      },
      sendSms: async (request) => (await s({ method: 'POST', path: '/rest/sms', body: request })) as Sms,
      listSms: async (filter, limit) =>
        list<Sms>(
          await s({
            method: 'POST',
            path: '/rest/sms/search',
            query: { take: Math.min(limit, 100), skip: 0 },
            body: filter,
          }),
        ),
      makeCall: async (request) => (await s({ method: 'POST', path: '/rest/call', body: request })) as Call,
      hangupCall: (uuid) => s({ method: 'POST', path: `/rest/call/${encodeURIComponent(uuid)}/hangup` }),
      getCall: async (uuid) =>
        (await s({ method: 'GET', path: `/rest/call/${encodeURIComponent(uuid)}` })) as Call,
      listCalls: async (filter, limit) =>
        list<Call>(
          await s({
            method: 'POST',
            path: '/rest/call/search',
            query: { take: Math.min(limit, 100), skip: 0 },
            body: filter,
          }),
        ),
      callData: async (start, end) =>
        list<CallDataRecord>(
          await s({
            method: 'GET',
            path: '/rest/reports/call-data',
            query: { start_date: start, end_date: end },
          }),
        ),
      createToken: async (name, ttl) =>
        (await s({ method: 'POST', path: '/rest/token', body: { name, ttl } })) as ApiToken,
      listTokens: async () => list<ApiToken>(await s({ method: 'GET', path: '/rest/token' })),
      revokeToken: async (uuid) => {
        await s({ method: 'DELETE', path: `/rest/token/${encodeURIComponent(uuid)}` });
      },
    };
  }

  return {
    accounts: async () =>
      list<AccountAccess>(await call(auth, { method: 'GET', path: '/rest/accounts', scoped: false })),
    profile: async () => (await call(auth, { method: 'GET', path: '/rest/auth', scoped: false })) as Profile,
    forAccount: (accountId) => accountApi(auth.forAccount(accountId)),
    tokenAccount: () => accountApi(auth),
  };
}
