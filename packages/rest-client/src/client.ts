import type { AuthStrategy } from '@callwire/auth-core';
import type { ApiPromise } from './api-promise.js';
import { type ResolvedConfig, resolveConfig } from './config.js';
import type { ClientOptions, RequestOptions } from './options.js';
import { type Call, createRequester, type Method, type Query } from './requester.js';
import { type AccountsApi, accountsApi } from './resources/accounts.js';
import { type AuthApi, authApi } from './resources/auth.js';
import { type BatchesApi, batchesApi } from './resources/batches.js';
import { type CallsApi, callsApi } from './resources/calls.js';
import { type EventsApi, eventsApi } from './resources/events.js';
import { type NumbersApi, numbersApi } from './resources/numbers.js';
import {
  type MessagingProfilesApi,
  messagingProfilesApi,
  type TnProfilesApi,
  tnProfilesApi,
} from './resources/profiles.js';
import { type ReportsApi, reportsApi } from './resources/reports.js';
import { type SimulateApi, simulateApi } from './resources/simulate.js';
import { type SipApi, sipApi } from './resources/sip.js';
import { type SmsApi, smsApi } from './resources/sms.js';
import { type UsersApi, usersApi } from './resources/users.js';
import { createTransport } from './transport.js';

/** A request to any endpoint, for what the typed API does not cover. */
export interface RawRequest {
  method: Method;
  /** Under `/rest/`, e.g. `account` or `lease/tn/+12015550123` (encode ids yourself). */
  path: string;
  query?: Query;
  body?: unknown;
  /** Default true. */
  accountScoped?: boolean;
}

/** A client for the whole API, bound to one account or to none (see `forAccount`). */
export interface CallwireClient {
  /** The account every account-scoped request is bound to, if any. */
  readonly accountId: string | undefined;
  /** The auth strategy in use (shared with every `forAccount` client). */
  readonly strategy: AuthStrategy;
  accounts: AccountsApi;
  /** `GET /rest/auth` (profile) and API tokens. */
  auth: AuthApi;
  users: UsersApi;
  numbers: NumbersApi;
  tnProfiles: TnProfilesApi;
  messagingProfiles: MessagingProfilesApi;
  sms: SmsApi;
  calls: CallsApi;
  batches: BatchesApi;
  reports: ReportsApi;
  sip: SipApi;
  events: EventsApi;
  /** Demo server only. */
  simulate: SimulateApi;
  /**
   * The same client bound to another account: it shares the auth strategy (sessions, the account
   * list, refreshes) and the connection settings; repeated calls return the same client.
   */
  forAccount(accountId: string): CallwireClient;
  /** Any endpoint, unwrapped from the envelope but not validated: for what the typed API lacks. */
  request<T = unknown>(request: RawRequest, options?: RequestOptions): ApiPromise<T>;
}

interface Family {
  config: ResolvedConfig;
  byAccount: Map<string, CallwireClient>;
}

function build(family: Family, strategy: AuthStrategy): CallwireClient {
  const requester = createRequester(family.config, createTransport(family.config, strategy));
  const client: CallwireClient = {
    accountId: strategy.accountId,
    strategy,
    accounts: accountsApi(requester),
    auth: authApi(requester),
    users: usersApi(requester),
    numbers: numbersApi(requester),
    tnProfiles: tnProfilesApi(requester),
    messagingProfiles: messagingProfilesApi(requester),
    sms: smsApi(requester),
    calls: callsApi(requester),
    batches: batchesApi(requester),
    reports: reportsApi(requester),
    sip: sipApi(requester),
    events: eventsApi(requester),
    simulate: simulateApi(requester),
    forAccount(accountId: string): CallwireClient {
      if (accountId === strategy.accountId) return client;
      let derived = family.byAccount.get(accountId);
      if (derived === undefined) {
        // auth-core validates the id and keeps one strategy (one session) per account.
        derived = build(family, strategy.forAccount(accountId));
        family.byAccount.set(accountId, derived);
      }
      return derived;
    },
    request<T>(raw: RawRequest, options?: RequestOptions) {
      const call: Call<T> = {
        method: raw.method,
        path: raw.path.replace(/^\/+/, '').replace(/^rest\//, ''),
        query: raw.query,
        body: raw.body,
        endpoint: `request ${raw.method.toUpperCase()} ${raw.path}`,
        scoped: raw.accountScoped !== false,
      };
      return requester.request(call, options);
    },
  };
  return client;
}

/**
 * A typed client for the whole Callwire API.
 *
 * @example
 * ```ts
 * import { createBasicAuth } from '@callwire/auth-core';
 * import { createClient } from '@callwire/rest-client';
 *
 * const client = createClient({ baseUrl, auth: createBasicAuth({ username, password, baseUrl }) });
 * const acme = client.forAccount(acmeId);
 * for await (const n of acme.numbers.list()) console.log(n.tn);
 * ```
 */
export function createClient(options: ClientOptions): CallwireClient {
  const config = resolveConfig(options);
  const family: Family = { config, byAccount: new Map() };
  const strategy =
    options.accountId === undefined ? options.auth : options.auth.forAccount(options.accountId);
  return build(family, strategy);
}
