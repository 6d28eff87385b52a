import { DEMO_ACCOUNTS, DEMO_INTEGRATOR, DEMO_USERS } from '../../src/seed/demo-identity.js';
import type { RunningServer } from '../../src/server.js';
import { basic, integrator } from './test-server.js';

export const ACME = DEMO_ACCOUNTS.acme.uuid;
export const BAYSIDE = DEMO_ACCOUNTS.bayside.uuid;
export const UNKNOWN_ACCOUNT = '0a11ce00-0000-4000-8000-0000000f00f0';

export const AUTH = {
  alice: basic(DEMO_USERS.alice.email, DEMO_USERS.alice.password),
  bob: basic(DEMO_USERS.bob.email, DEMO_USERS.bob.password),
  carol: basic(DEMO_USERS.carol.email, DEMO_USERS.carol.password),
  dave: basic(DEMO_USERS.dave.email, DEMO_USERS.dave.password),
  integrator: integrator(DEMO_INTEGRATOR.appKey, DEMO_INTEGRATOR.secret),
};

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  auth?: string;
  token?: string;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected freely
  body: any;
  text: string;
}

export async function call(
  server: RunningServer,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== undefined) headers.authorization = options.auth;
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await server.app.inject({
    method,
    url,
    headers,
    ...(payload !== undefined ? { payload } : {}),
  });
  let body: unknown;
  try {
    body = res.body === '' ? undefined : JSON.parse(res.body);
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body, text: res.body };
}

export async function login(server: RunningServer, username: string, password: string, accountId?: string) {
  const res = await call(server, 'POST', '/rest/auth/login', {
    body: { username, password, ...(accountId ? { account_id: accountId } : {}) },
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.text}`);
  return res.body.payload as { token: string; refresh_token: string; account: { uuid: string } };
}
