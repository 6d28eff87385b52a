import { createSessionAuth, type SessionAuth } from '@callwire/auth-core';
import { type CallwireClient, createClient } from '@callwire/rest-client';
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

/**
 * A signed-in user. The session lives in memory only (never in storage the page's other scripts
 * could read), is renewed ahead of expiry by auth-core, and is bound per account through
 * masquerade when the user picks one.
 */
export class ConsoleSession {
  readonly api: ApiLocation;
  readonly email: string;
  readonly auth: SessionAuth;
  readonly client: CallwireClient;

  private constructor(api: ApiLocation, email: string, auth: SessionAuth) {
    this.api = api;
    this.email = email;
    this.auth = auth;
    this.client = createClient({ baseUrl: api.baseUrl, auth, fetch: fetchWithoutCredentials });
  }

  /** Logs in; rejects with auth-core's errors (wrong password, API access off, rate limited). */
  static async signIn(api: ApiLocation, email: string, password: string): Promise<ConsoleSession> {
    const auth = createSessionAuth({
      baseUrl: api.baseUrl,
      username: email,
      password,
      fetch: fetchWithoutCredentials,
    });
    try {
      await auth.token();
    } catch (error) {
      auth.dispose();
      throw error;
    }
    return new ConsoleSession(api, email, auth);
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
    try {
      await this.auth.logout();
    } finally {
      this.auth.dispose();
    }
  }
}
