import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBasic } from '../../src/basic.js';
import { parseIntegrator } from '../../src/integrator.js';

/**
 * A small stand-in for the platform's auth endpoints, with a controllable clock and
 * failure injection, so the strategies can be driven through races a real server makes rare.
 * Package tests never import the demo-server app; tests/e2e covers the real one.
 */

export type Endpoint = 'login' | 'refresh' | 'masquerade' | 'logout' | 'accounts' | 'account';

export interface TestAccount {
  uuid: string;
  name: string;
}

export interface TestUser {
  uuid: string;
  email: string;
  password: string;
  accounts: TestAccount[];
}

interface Session {
  token: string;
  refreshToken: string;
  user: TestUser;
  account: TestAccount;
  family: string;
  refreshUsed: boolean;
  revoked: boolean;
  /** The access token expired (the refresh token still works), as after `token_lifetime`. */
  expired: boolean;
}

interface Injection {
  status: number;
  code: string;
  times: number;
}

export const ACME: TestAccount = { uuid: '0b6f5a1e-3c2d-4e8f-9a7b-1c2d3e4f5a6b', name: 'Acme Dental' };
export const BAYSIDE: TestAccount = { uuid: '7d8e9f0a-1b2c-4d3e-8f5a-6b7c8d9e0f1a', name: 'Bayside Realty' };

export const ALICE: TestUser = {
  uuid: 'a11ce000-0000-4000-8000-000000000001',
  email: 'alice@example.com',
  password: 'alice-pass-1',
  accounts: [ACME],
};
export const BOB: TestUser = {
  uuid: 'b0b00000-0000-4000-8000-000000000002',
  email: 'bob@example.com',
  password: 'bob-pass-1:with:colons £',
  accounts: [BAYSIDE, ACME],
};

export interface AuthServerOptions {
  tokenLifetime?: number;
  /** The server's clock in epoch ms (may be skewed on purpose); default Date.now. */
  clock?: () => number;
}

export interface AuthServer {
  url: string;
  /** Requests per endpoint. */
  calls: Record<Endpoint, number>;
  /** Every Authorization / X-Auth-Token value seen, for assertions. */
  seenAuthorization: string[];
  /** The next `times` calls of `endpoint` answer `status` / `code`. */
  fail(endpoint: Endpoint, status: number, code: string, times?: number): void;
  /** Holds calls of `endpoint` until the returned function is called (a slow server, deterministically). */
  hold(endpoint: Endpoint): () => void;
  /** Revokes every session of a token's family, as a server-side logout elsewhere would. */
  revoke(token: string): void;
  isRevoked(token: string): boolean;
  /** Expires one access token on the server (401 token_expired); its refresh token stays valid. */
  expire(token: string): void;
  /** The bodies logout requests carried (undefined: none). */
  logoutBodies: unknown[];
  tokenLifetime: number;
  close(): Promise<void>;
}

/** An integrator app linked to both accounts, modelled as a principal with accounts. */
export const INTEGRATOR: TestUser = {
  uuid: '1a7e0000-0000-4000-8000-000000000003',
  email: 'demo-integrator',
  password: 'demo-integrator-secret-1',
  accounts: [ACME, BAYSIDE],
};

const users = [ALICE, BOB];

function accountJson(account: TestAccount) {
  return {
    uuid: account.uuid,
    name: account.name,
    email: `billing@${account.name.toLowerCase().replace(/\s+/g, '')}.example`,
    level: 'Level1',
    balance: 99.87895,
    time_zone: 'America/New_York',
    created_on: '2026-01-01T00:00:00.000Z',
    modified_on: '2026-01-01T00:00:00.000Z',
  };
}

function userJson(user: TestUser) {
  return {
    uuid: user.uuid,
    email: user.email,
    first_name: 'Test',
    last_name: 'User',
    phone_number: null,
    role: 'User',
    api_access: true,
    status: 'active',
  };
}

export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const clock = options.clock ?? Date.now;
  const calls: Record<Endpoint, number> = {
    login: 0,
    refresh: 0,
    masquerade: 0,
    logout: 0,
    accounts: 0,
    account: 0,
  };
  const seenAuthorization: string[] = [];
  const logoutBodies: unknown[] = [];
  const injections = new Map<Endpoint, Injection>();
  const holds = new Map<Endpoint, Promise<void>>();
  const byToken = new Map<string, Session>();
  const byRefresh = new Map<string, Session>();
  let counter = 0;

  const state = { tokenLifetime: options.tokenLifetime ?? 3600 };

  function issue(user: TestUser, account: TestAccount, family: string = randomUUID()) {
    counter += 1;
    const session: Session = {
      token: `tok_${counter}_${randomUUID()}`,
      refreshToken: `rt_${counter}_${randomUUID()}`,
      user,
      account,
      family,
      refreshUsed: false,
      revoked: false,
      expired: false,
    };
    byToken.set(session.token, session);
    byRefresh.set(session.refreshToken, session);
    const now = clock();
    return {
      token: session.token,
      token_expiration: new Date(now + state.tokenLifetime * 1000).toISOString(),
      token_lifetime: state.tokenLifetime,
      refresh_token: session.refreshToken,
      refresh_token_expiration: new Date(now + state.tokenLifetime * 1000 + 30 * 86_400_000).toISOString(),
      user: userJson(user),
      account: accountJson(account),
    };
  }

  function revokeFamily(family: string) {
    for (const session of byToken.values()) if (session.family === family) session.revoked = true;
  }

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const requestId = randomUUID();
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId, ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const ok = (res: ServerResponse, payload: unknown, status = 200) =>
    send(res, status, { success: true, payload });
  const error = (res: ServerResponse, status: number, code: string, message: string, extra = {}) =>
    send(
      res,
      status,
      { success: false, status, code, message, request_id: randomUUID(), ...extra },
      status === 401
        ? { 'www-authenticate': 'Basic realm="callwire", charset="UTF-8", Bearer realm="callwire"' }
        : {},
    );

  let lastBody: unknown;
  async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    let text = '';
    for await (const chunk of req) text += chunk;
    lastBody = text.length === 0 ? undefined : JSON.parse(text);
    return typeof lastBody === 'object' && lastBody !== null ? (lastBody as Record<string, unknown>) : {};
  }

  type Principal = { user: TestUser; session?: Session };
  function principal(req: IncomingMessage): Principal | undefined {
    const header = req.headers.authorization;
    if (header !== undefined) seenAuthorization.push(header);
    if (header?.toLowerCase().startsWith('bearer ')) {
      const session = byToken.get(header.slice(7).trim());
      return session !== undefined && !session.revoked && !session.expired
        ? { user: session.user, session }
        : undefined;
    }
    const integrator = parseIntegrator(header);
    if (integrator.ok) {
      const ok = integrator.appKey === INTEGRATOR.email && integrator.secret === INTEGRATOR.password;
      return ok ? { user: INTEGRATOR } : undefined;
    }
    const basic = parseBasic(header);
    if (!basic.ok) return undefined;
    const user = users.find((u) => u.email === basic.username.toLowerCase() && u.password === basic.password);
    return user === undefined ? undefined : { user };
  }

  const routes: Record<string, Endpoint> = {
    'POST /rest/auth/login': 'login',
    'POST /rest/auth/refresh': 'refresh',
    'POST /rest/auth/masquerade': 'masquerade',
    'POST /rest/auth/logout': 'logout',
    'GET /rest/accounts': 'accounts',
    'GET /rest/account': 'account',
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const endpoint = routes[`${req.method} ${path}`];
    if (endpoint === undefined) return error(res, 404, 'not_found', 'No such route');
    calls[endpoint] += 1;
    const body = await readJson(req);
    const held = holds.get(endpoint);
    if (held !== undefined) await held;
    const injection = injections.get(endpoint);
    if (injection !== undefined && injection.times > 0) {
      injection.times -= 1;
      return error(res, injection.status, injection.code, `injected ${injection.code}`);
    }

    switch (endpoint) {
      case 'login': {
        const user = users.find((u) => u.email === String(body.username).toLowerCase());
        if (user === undefined || user.password !== body.password) {
          return error(res, 401, 'invalid_credentials', 'Wrong email or password');
        }
        const account =
          body.account_id === undefined
            ? user.accounts[0]
            : user.accounts.find((a) => a.uuid === body.account_id);
        if (account === undefined) return error(res, 403, 'account_forbidden', 'Not an account of this user');
        return ok(res, issue(user, account));
      }
      case 'refresh': {
        const session = byRefresh.get(String(body.refresh_token));
        if (session === undefined || session.revoked) {
          return error(res, 401, 'invalid_token', 'Unknown or revoked refresh token');
        }
        if (session.refreshUsed) {
          // Reuse of a spent refresh token: someone else has it. Revoke the whole family.
          revokeFamily(session.family);
          return error(res, 401, 'refresh_token_reused', 'This refresh token was already used');
        }
        session.refreshUsed = true;
        return ok(res, issue(session.user, session.account, session.family));
      }
      case 'masquerade': {
        const who = principal(req);
        if (who?.session === undefined)
          return error(res, 401, 'invalid_token', 'A session bearer token is required');
        const account = who.user.accounts.find((a) => a.uuid === body.account_id);
        if (account === undefined) return error(res, 403, 'account_forbidden', 'Not an account of this user');
        return ok(res, issue(who.user, account));
      }
      case 'logout': {
        // As the demo server: `{ refresh_token }` revokes that sign-in with or without a valid
        // bearer, and an unknown one still answers 204.
        logoutBodies.push(lastBody);
        const refreshToken = body.refresh_token;
        const extra = Object.keys(body).filter((k) => k !== 'refresh_token');
        if (
          Array.isArray(lastBody) ||
          extra.length > 0 ||
          (refreshToken !== undefined && (typeof refreshToken !== 'string' || refreshToken === ''))
        ) {
          return error(res, 400, 'validation_failed', 'The body may carry only a refresh_token string');
        }
        const who = principal(req);
        if (refreshToken === undefined) {
          if (who?.session === undefined)
            return error(res, 401, 'invalid_token', 'A session bearer token is required');
          revokeFamily(who.session.family);
          return send(res, 204);
        }
        if (who?.session !== undefined) revokeFamily(who.session.family);
        const signIn = byRefresh.get(refreshToken);
        if (signIn !== undefined) revokeFamily(signIn.family);
        return send(res, 204);
      }
      case 'accounts': {
        const who = principal(req);
        if (who === undefined) return error(res, 401, 'invalid_credentials', 'Authentication required');
        return ok(
          res,
          who.user.accounts.map((a, i) => ({
            uuid: a.uuid,
            name: a.name,
            level: 'Level1',
            access: 'admin',
            default: i === 0,
          })),
        );
      }
      case 'account': {
        const who = principal(req);
        if (who === undefined) return error(res, 401, 'invalid_credentials', 'Authentication required');
        const named = req.headers['x-account-id'];
        let account: TestAccount | undefined;
        if (typeof named === 'string') account = who.user.accounts.find((a) => a.uuid === named);
        else if (who.session !== undefined) account = who.session.account;
        else if (who.user.accounts.length === 1) account = who.user.accounts[0];
        else {
          return error(res, 400, 'account_required', 'Name an account', {
            accounts: who.user.accounts.map(({ uuid, name }) => ({ uuid, name })),
          });
        }
        if (account === undefined)
          return error(res, 403, 'account_forbidden', 'Not an account you may act on');
        return send(
          res,
          200,
          { success: true, payload: accountJson(account) },
          { 'x-account-id': account.uuid },
        );
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => error(res, 500, 'internal', 'Internal error'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    seenAuthorization,
    get tokenLifetime() {
      return state.tokenLifetime;
    },
    set tokenLifetime(value: number) {
      state.tokenLifetime = value;
    },
    fail(endpoint, status, code, times = 1) {
      injections.set(endpoint, { status, code, times });
    },
    hold(endpoint) {
      let release!: () => void;
      holds.set(
        endpoint,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      return () => {
        holds.delete(endpoint);
        release();
      };
    },
    revoke(token) {
      const session = byToken.get(token);
      if (session !== undefined) revokeFamily(session.family);
    },
    isRevoked(token) {
      return byToken.get(token)?.revoked ?? true;
    },
    expire(token) {
      const session = byToken.get(token);
      if (session !== undefined) session.expired = true;
    },
    logoutBodies,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 10, 28, 12, 0, 0)) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (ms: number) => {
    now = ms;
  };
  return clock;
}
