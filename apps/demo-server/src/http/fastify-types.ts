import type { Access } from '@callwire/types';
import type { ServerContext } from '../context.js';
import type { Principal } from '../identity/auth/principal.js';

/** The account a scoped request runs under, and the principal's effective access on it. */
export interface ScopedAccount {
  id: string;
  name: string;
  access: Access;
}

/**
 * Route options every area uses (`config: {...}` on a route):
 * - `auth`: 'required' (default under /rest), 'optional' or 'none' (default elsewhere);
 * - `scoped: true`: the request runs inside one account; `request.account` is set
 *   and `X-Account-Id` is sent;
 * - `access`: the least access the principal needs on that account (default 'viewer'; implies scoped);
 * - `basicWinsOverToken`: GET /rest/auth only.
 */
export interface CallwireRouteConfig {
  auth?: 'required' | 'optional' | 'none';
  scoped?: boolean;
  access?: Access;
  basicWinsOverToken?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig extends CallwireRouteConfig {}
  interface FastifyRequest {
    /** Who is calling; null on routes without auth or when none was presented on `auth: 'optional'`. */
    principal: Principal | null;
    /** Set on scoped routes. */
    account: ScopedAccount | null;
    /** `Idempotency-Key` bookkeeping (internal). */
    idempotency: { principal: string; key: string } | null;
  }
  interface FastifyInstance {
    ctx: ServerContext;
  }
}
