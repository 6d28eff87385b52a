import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for the platform's auth endpoints, for the CLI's own unit tests of its session
 * handling (persisting rotated tokens, masquerade per account, logout). The real server is exercised
 * by tests/e2e; this one lets a test shorten token lifetimes and count logins and refreshes.
 */
export const ACME = { uuid: 'a0000000-0000-4000-8000-000000000001', name: 'Acme Dental' };
export const BAYSIDE = { uuid: 'b0000000-0000-4000-8000-000000000002', name: 'Bayside Realty' };
const USER = {
  uuid: 'c0000000-0000-4000-8000-000000000003',
  email: 'bob@example.com',
  first_name: 'Bob',
  last_name: 'Builder',
  phone_number: null,
  role: 'User',
  api_access: true,
  status: 'active',
};
const NOW = '2026-01-16T14:15:48.540Z';

function account(a: { uuid: string; name: string }) {
  return {
    ...a,
    email: 'ops@example.com',
    level: 'Level1',
    balance: 100,
    time_zone: 'UTC',
    created_on: NOW,
    modified_on: NOW,
  };
}

interface Session {
  token: string;
  refresh: string;
  accountId: string;
  expiresAt: number;
  revoked: boolean;
}

export interface FakeApi {
  url: string;
  tokenLifetime: number;
  /** When set, scoped responses claim to have run on this account (a misbehaving server). */
  forceAccount: string | undefined;
  counts: { login: number; refresh: number; masquerade: number; logout: number };
  /** Every request: method, path, the X-Account-Id header and the account the token is bound to. */
  requests: {
    method: string;
    path: string;
    accountHeader: string | undefined;
    tokenAccount: string | undefined;
  }[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startFakeApi(): Promise<FakeApi> {
  const sessions = new Map<string, Session>();
  const spentRefresh = new Set<string>();
  const api: FakeApi = {
    url: '',
    tokenLifetime: 3600,
    forceAccount: undefined,
    counts: { login: 0, refresh: 0, masquerade: 0, logout: 0 },
    requests: [],
    close: async () => {},
  };

  const issue = (accountId: string) => {
    const s: Session = {
      token: `tok_${randomUUID()}`,
      refresh: `ref_${randomUUID()}`,
      accountId,
      expiresAt: Date.now() + api.tokenLifetime * 1000,
      revoked: false,
    };
    sessions.set(s.token, s);
    return {
      token: s.token,
      token_expiration: new Date(s.expiresAt).toISOString(),
      token_lifetime: api.tokenLifetime,
      refresh_token: s.refresh,
      refresh_token_expiration: new Date(Date.now() + 30 * 86400_000).toISOString(),
      user: USER,
      account: account(accountId === ACME.uuid ? ACME : BAYSIDE),
    };
  };

  const send = (res: ServerResponse, status: number, payload?: unknown) => {
    const requestId = `req_${randomUUID().slice(0, 8)}`;
    res.setHeader('x-request-id', requestId);
    if (status === 204) {
      res.statusCode = 204;
      res.end();
      return;
    }
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(
        status < 400 ? { success: true, payload } : { ...(payload as object), request_id: requestId },
      ),
    );
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string, extra: object = {}) =>
    send(res, status, { success: false, status, code, message, ...extra });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const auth = req.headers.authorization;
    const session = auth?.startsWith('Bearer ') ? sessions.get(auth.slice(7)) : undefined;
    const valid = session !== undefined && !session.revoked && Date.now() < session.expiresAt;
    api.requests.push({
      method: req.method ?? '',
      path,
      accountHeader: req.headers['x-account-id'] as string | undefined,
      tokenAccount: session?.accountId,
    });
    const b = req.method === 'POST' ? await body(req) : {};
    if (path === '/rest/auth/login') {
      if (b.username !== 'bob@example.com' || b.password !== 'bob-pass-1') {
        return fail(res, 401, 'invalid_credentials', 'Invalid email or password');
      }
      api.counts.login += 1;
      return send(res, 200, issue(typeof b.account_id === 'string' ? b.account_id : BAYSIDE.uuid));
    }
    if (path === '/rest/auth/refresh') {
      const old = [...sessions.values()].find((s) => s.refresh === b.refresh_token);
      if (!old || spentRefresh.has(old.refresh))
        return fail(res, 401, 'refresh_token_reused', 'Refresh token already used');
      spentRefresh.add(old.refresh);
      old.revoked = true;
      api.counts.refresh += 1;
      return send(res, 200, issue(old.accountId));
    }
    if (path === '/rest/auth/logout' && typeof b.refresh_token === 'string' && auth === undefined) {
      // Logout with a refresh token needs no bearer and always answers 204 (as the platform does).
      const owner = [...sessions.values()].find((s) => s.refresh === b.refresh_token);
      if (owner) owner.revoked = true;
      api.counts.logout += 1;
      return send(res, 204);
    }
    if (!valid) return fail(res, 401, 'unauthenticated', 'Missing or expired token');
    if (path === '/rest/auth/masquerade') {
      api.counts.masquerade += 1;
      return send(res, 200, issue(String(b.account_id)));
    }
    if (path === '/rest/auth/logout') {
      api.counts.logout += 1;
      session.revoked = true;
      return send(res, 204);
    }
    if (path === '/rest/accounts') {
      return send(res, 200, [
        { ...ACME, level: 'Level1', access: 'manager', default: false },
        { ...BAYSIDE, level: 'Level2', access: 'admin', default: true },
      ]);
    }
    if (path === '/rest/auth') {
      return send(res, 200, {
        ...USER,
        wss_online: false,
        created_on: NOW,
        modified_on: NOW,
        deleted_on: null,
        token: session.token,
        account: { ...account(ACME), deleted_on: null },
      });
    }
    if (path === '/rest/sms/search') {
      const accountId = (req.headers['x-account-id'] as string | undefined) ?? session.accountId;
      res.setHeader('x-account-id', api.forceAccount ?? accountId);
      return send(res, 200, {
        take: 10,
        skip: 0,
        total: 1,
        data: [
          {
            uuid: randomUUID(),
            type: 'smso',
            direction: 'out',
            state: 'delivered',
            from: '+12015550100',
            to: '+12015550123',
            message: `hello from ${accountId === ACME.uuid ? 'acme' : 'bayside'}`,
            thread: 't',
            delivered: true,
            segments: 1,
            cost: 0.0075,
            created_on: NOW,
            modified_on: NOW,
          },
        ],
      });
    }
    return fail(res, 404, 'not_found', `No route ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return api;
}
