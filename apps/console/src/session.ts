import { createSessionAuth, type SessionAuth, type SessionRecord } from '@callwire/auth-core';
import { type CallwireClient, createClient } from '@callwire/rest-client';
import { validateResponses } from '@callwire/rest-client/validation';
import type { AccountAccess } from '@callwire/types';

/** Where the console finds the API: the server that served it, unless told otherwise. */
export interface ApiLocation {
  /** e.g. `http://127.0.0.1:8787` */
  baseUrl: string;
  /** e.g. `ws://127.0.0.1:8787/ws` */
  wsUrl: string;
}

export function apiFromPage(location: Location): ApiLocation {
  const wsProtocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { baseUrl: location.origin, wsUrl: `${wsProtocol}//${location.host}/ws` };
}

/**
 * `fetch` without cookies or HTTP authentication. The API authenticates by header, and a 401 that
 * offers a Basic challenge must not make the browser open its own password dialog over the
 * console (browsers do that only for requests that may carry credentials).
 */
export const fetchWithoutCredentials = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
  fetch(input, { ...init, credentials: 'omit' });

/** The URL a fetch call goes to, whichever form it was given in. */
function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/**
 * A signed-in user. The session lives in memory only (never in storage the page's other scripts
 * could read), is renewed ahead of expiry by auth-core with its refresh token, and is bound per
 * account through masquerade when the user picks one. The password is used for the login only and
 * not kept: when the session can no longer be renewed (revoked, expired), `onExpired` listeners
 * are told and the user signs in again.
 */
export class ConsoleSession {
  readonly api: ApiLocation;
  readonly email: string;
  readonly auth: SessionAuth;
  readonly client: CallwireClient;
  readonly #expiredListeners = new Set<() => void>();
  #expired = false;

  private constructor(api: ApiLocation, email: string, record: SessionRecord) {
    this.api = api;
    this.email = email;
    this.auth = createSessionAuth({ baseUrl: api.baseUrl, session: record, fetch: this.#fetch });
    // Response validation is opt-in in the SDK; the console keeps it on, in warn mode.
    this.client = createClient({
      baseUrl: api.baseUrl,
      auth: this.auth,
      fetch: fetchWithoutCredentials,
      validate: validateResponses('warn'),
    });
  }

  /** Logs in; rejects with auth-core's errors (wrong password, API access off, rate limited). */
  static async signIn(api: ApiLocation, email: string, password: string): Promise<ConsoleSession> {
    const login = createSessionAuth({
      baseUrl: api.baseUrl,
      username: email,
      password,
      fetch: fetchWithoutCredentials,
    });
    try {
      await login.token();
      const record = login.session();
      if (record === undefined) throw new Error('The sign-in returned no session');
      return new ConsoleSession(api, email, record);
    } finally {
      // Drops the strategy that holds the password; the session continues from its record.
      login.dispose();
    }
  }

  /**
   * Every auth request of this session (refresh, masquerade, logout) goes through here: a refused
   * refresh means the session is over, for every account of it.
   */
  readonly #fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const response = await fetchWithoutCredentials(input, init);
    if (response.status === 401 && new URL(urlOf(input)).pathname.endsWith('/rest/auth/refresh'))
      this.#expire();
    return response;
  };

  #expire(): void {
    if (this.#expired) return;
    this.#expired = true;
    for (const listener of [...this.#expiredListeners]) listener();
  }

  /** Called once when the session can no longer be renewed. Returns the function that stops it. */
  onExpired(listener: () => void): () => void {
    this.#expiredListeners.add(listener);
    return () => this.#expiredListeners.delete(listener);
  }

  /** Every account the user may act on (not account-scoped: safe before one is picked). */
  accounts(): Promise<AccountAccess[]> {
    return this.client.accounts.list().toArray();
  }

  /** The REST client bound to one account: every request names it, so nothing is guessed. */
  clientFor(accountId: string): CallwireClient {
    return this.client.forAccount(accountId);
  }

  /** Revokes every session of this sign-in on the server and forgets them here. */
  async signOut(): Promise<void> {
    this.#expiredListeners.clear();
    try {
      await this.auth.logout();
    } finally {
      this.auth.dispose();
    }
  }

  /** Forgets the session here without asking the server (it already refused it). */
  dispose(): void {
    this.#expiredListeners.clear();
    this.auth.dispose();
  }
}
