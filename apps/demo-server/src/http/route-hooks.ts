import type { Access } from '@callwire/types';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestAbortHookHandler,
  onRequestHookHandler,
  onSendHookHandler,
  preValidationHookHandler,
  RouteOptions,
} from 'fastify';
import type { ServerContext } from '../context.js';
import { unauthenticated } from '../identity/auth/auth-errors.js';
import { type Principal, principalRef } from '../identity/auth/principal.js';
import { ApiError } from './api-error.js';
import type { CorsPolicy } from './cors.js';
import { bodyHash, type IdempotencyKeys, MAX_IDEMPOTENCY_KEY } from './idempotency.js';
import { nulRefused } from './json-body.js';
import { checkOutboundUrls } from './outbound-fields.js';
import { requestHeadError } from './request-limits.js';
import { applyScope } from './scope.js';
import { tokenParamInUrl } from './url-tokens.js';

function refuseTokensInUrl(request: FastifyRequest): void {
  const name = tokenParamInUrl(request.query);
  if (name !== undefined) {
    throw new ApiError(
      'invalid_request',
      `Tokens in URLs are refused (query parameter "${name}"): send the token in the Authorization: Bearer or X-Auth-Token header`,
    );
  }
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * The request pipeline. Every route's needs are decided once, when it is registered (onRoute), so a
 * request runs only the hooks its route needs and no per-request option lookups:
 * - every routed request: the CORS headers, X-Request-Id, 503 while shutting down, the URL and header size limits (error answers, 404s
 *   included, get X-Request-Id from the error handler);
 * - `/rest` routes: tokens in URLs refused, then authentication (unless `auth: 'none'`) and the
 *   per-principal rate limit;
 * - scoped routes (`scoped` or `access`): account scoping and the access check (after body parsing,
 *   because `account_id` may be in the body);
 * - routes with a body: a missing body is `{}` (`curl -X POST` sends none: a search without
 *   filters, a logout without a refresh token; required fields are then named one by one), and URLs
 *   the server will request later are checked against the outbound address policy (400 naming the
 *   field);
 * - POST routes: Idempotency-Key lookup, then the response stored before it is sent.
 * Must be installed before any route is registered.
 */
export function installRouteHooks(
  app: FastifyInstance,
  ctx: ServerContext,
  idempotency: IdempotencyKeys,
  cors: CorsPolicy,
): void {
  const { auth, config } = ctx;

  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  /**
   * CORS, X-Request-Id, shutdown and the request head limits: every request. Throws the ApiError to
   * send. CORS lives here rather than in a global hook of its own: each hook Fastify runs costs
   * every request, and the headers are set before anything can fail, so error answers carry them.
   */
  function basics(request: FastifyRequest, reply: FastifyReply): void {
    cors.apply(request, reply);
    reply.header('x-request-id', request.id);
    if (closing) {
      reply.header('connection', 'close');
      throw new ApiError('unavailable', 'The server is shutting down: retry in a moment', {
        headers: { 'retry-after': '1' },
      });
    }
    const tooLarge = requestHeadError(request.raw);
    if (tooLarge !== undefined) throw tooLarge;
    // A NUL can only reach the URL percent-encoded (Node refuses the raw byte).
    if (request.url.includes('%00')) throw nulRefused();
  }

  const plain: onRequestHookHandler = (request, reply, done) => {
    try {
      basics(request, reply);
      done();
    } catch (error) {
      done(error as Error);
    }
  };

  const restPlain: onRequestHookHandler = (request, reply, done) => {
    try {
      basics(request, reply);
      if (request.url.includes('?')) refuseTokensInUrl(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  };

  // One async hook does everything a /rest request needs before its body is read: a single hook
  // per request keeps Fastify's hook machinery (a promise and a tick per hook) off the hot path.
  const authHook = (
    mode: 'required' | 'optional',
    basicWins: boolean,
    scopeNeed: Access | undefined,
  ): onRequestHookHandler => {
    const admit = admitWith(mode, scopeNeed);
    // Callback style and synchronous when the credentials are cached: no promise or extra tick on
    // the hot path of every request.
    return function authenticate(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
      let result: Principal | undefined | Promise<Principal | undefined>;
      try {
        basics(request, reply);
        if (request.url.includes('?')) refuseTokensInUrl(request);
        const xAuthToken = request.headers['x-auth-token'];
        if (Array.isArray(xAuthToken))
          throw new ApiError('invalid_request', 'X-Auth-Token must be sent once');
        result = auth.resolvePrincipal(
          {
            authorization: request.headers.authorization,
            xAuthToken,
            basicWins,
          },
          request,
        );
      } catch (error) {
        done(error as Error);
        return;
      }
      // Closures only for a verification still under way: a cached principal finishes here.
      if (result instanceof Promise) {
        result.then(
          (principal) => admit(request, reply, done, principal),
          (error: Error) => done(error),
        );
      } else admit(request, reply, done, result);
    };
  };

  /** The principal is known: rate limit, then (GET/HEAD, no body to wait for) the account. */
  function admitWith(mode: 'required' | 'optional', scopeNeed: Access | undefined) {
    return (
      request: FastifyRequest,
      reply: FastifyReply,
      done: (err?: Error) => void,
      principal: Principal | undefined,
    ): void => {
      try {
        if (principal === undefined) {
          if (mode === 'required') throw unauthenticated();
          done();
          return;
        }
        auth.takeRate(principal);
        request.principal = principal;
        if (scopeNeed !== undefined) applyScope(request, reply, config.accountScope, scopeNeed);
        done();
      } catch (error) {
        done(error as Error);
      }
    };
  }

  const scopeHook = (need: Access): preValidationHookHandler =>
    function scope(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
      try {
        applyScope(request, reply, config.accountScope, need);
        done();
      } catch (error) {
        done(error as Error);
      }
    };

  // One hook for both body rules (a hook costs a tick per request): a missing body is `{}`, and URLs
  // the server will request later are checked against the outbound address policy.
  const bodyChecks: preValidationHookHandler = (request, _reply, done) => {
    try {
      if (request.body === undefined || request.body === null) request.body = {};
      checkOutboundUrls(request, ctx.outbound);
      done();
    } catch (error) {
      done(error as Error);
    }
  };

  const idempotencyBegin: preValidationHookHandler = async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY) {
      throw new ApiError(
        'validation_failed',
        `Idempotency-Key must be 1..${MAX_IDEMPOTENCY_KEY} characters, sent once`,
        { fields: { 'header.idempotency-key': { message: `must be 1..${MAX_IDEMPOTENCY_KEY} characters` } } },
      );
    }
    const who = request.principal === null ? 'anonymous' : principalRef(request.principal);
    // The account is part of what is being asked: the same body under another account is another request.
    const hashValue = bodyHash(
      'POST',
      `${request.url.split('?')[0]} ${request.account?.id ?? ''}`,
      request.body,
    );
    const decision = await idempotency.begin(who, key, hashValue);
    if (decision.kind === 'replay') {
      for (const [name, value] of Object.entries(decision.headers)) reply.header(name, value);
      reply.header('idempotent-replayed', 'true');
      return reply.code(decision.status).send(decision.body);
    }
    request.idempotency = { principal: who, key };
  };

  const idempotencyStore: onSendHookHandler = async (request, reply, payload) => {
    const record = request.idempotency;
    if (record === null) return payload;
    request.idempotency = null;
    await idempotency.complete(
      record.principal,
      record.key,
      reply.statusCode,
      reply.getHeaders(),
      typeof payload === 'string' ? payload : '',
    );
    return payload;
  };

  const idempotencyAbort: onRequestAbortHookHandler = async (request) => {
    const record = request.idempotency;
    if (record === null) return;
    request.idempotency = null;
    await idempotency.abandon(record.principal, record.key);
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    const rest = route.url.startsWith('/rest');
    const cfg = (route.config ?? {}) as NonNullable<RouteOptions['config']>;
    const mode = cfg.auth ?? (rest ? 'required' : 'none');
    const methods = asArray(route.method);
    const scoped = cfg.scoped === true || cfg.access !== undefined;
    const bodiless = methods.every((m) => m === 'GET' || m === 'HEAD');
    const need: Access = cfg.access ?? 'viewer';
    const first =
      mode !== 'none'
        ? authHook(mode, cfg.basicWinsOverToken === true, scoped && bodiless ? need : undefined)
        : rest
          ? restPlain
          : plain;
    route.onRequest = [first, ...asArray(route.onRequest)];

    const preValidation: preValidationHookHandler[] = [];
    if (!bodiless && route.schema?.body !== undefined) preValidation.push(bodyChecks);
    if (scoped && !(bodiless && mode !== 'none')) preValidation.push(scopeHook(need));
    if (methods.includes('POST')) {
      preValidation.push(idempotencyBegin);
      route.onSend = [idempotencyStore, ...asArray(route.onSend)];
      route.onRequestAbort = [idempotencyAbort, ...asArray(route.onRequestAbort)];
    }
    if (preValidation.length > 0) route.preValidation = [...preValidation, ...asArray(route.preValidation)];
  });
}
