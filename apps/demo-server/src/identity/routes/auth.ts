import {
  AuthOnlyResponseSchema,
  LoginRequestSchema,
  LogoutRequestSchema,
  MasqueradeRequestSchema,
  ProfileSchema,
  RefreshRequestSchema,
  SessionSchema,
  successEnvelope,
} from '@callwire/types';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../http/api-error.js';
import { principalOf } from '../../http/request-context.js';
import { ok, REQUEST_ERRORS } from '../../http/route-kit.js';
import { takeNamedAccount } from '../../http/scope.js';
import { unauthenticated } from '../auth/auth-errors.js';
import type { Principal } from '../auth/principal.js';
import type { IdentityDeps } from '../deps.js';
import { accountDto, getAccount, getUser, membershipsOf, userDto } from '../identity-store.js';

/** `/rest/auth…`: the profile, login, refresh, masquerade, logout. */
export function authRoutes(deps: IdentityDeps): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/rest/auth',
      {
        config: { basicWinsOverToken: true },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user and account; with Basic it opens a session and `token` is new',
          response: { 200: successEnvelope(ProfileSchema), ...REQUEST_ERRORS },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        if (principal.kind !== 'user') {
          throw new ApiError(
            'invalid_request',
            'GET /rest/auth is for users (Basic or a bearer token), not integrators',
          );
        }
        const user = await getUser(deps.db, principal.user.uuid);
        if (user === undefined) throw new ApiError('invalid_token', 'The token is not valid');
        let token: string;
        let accountId: string;
        if (principal.door === 'basic') {
          const memberships = await membershipsOf(deps.db, user.uuid);
          accountId = deps.sessions.chooseAccount(
            memberships,
            takeNamedAccount(request),
            user.default_account_id,
          );
          token = (await deps.sessions.issue(deps.db, user, accountId)).token;
        } else {
          accountId = principal.boundAccountId as string;
          token = principal.token as string;
        }
        const account = await getAccount(deps.db, accountId);
        if (account === undefined) throw new ApiError('account_forbidden', 'You may not act on this account');
        const a = accountDto(account);
        return ok({
          uuid: user.uuid,
          email: user.email,
          wss_online: await deps.isOnline(user.uuid),
          role: user.role,
          created_on: user.created_on,
          modified_on: user.modified_on,
          deleted_on: user.deleted_on,
          token,
          phone_number: user.phone_number,
          first_name: user.first_name,
          last_name: user.last_name,
          account: {
            uuid: a.uuid,
            email: a.email,
            name: a.name,
            level: a.level,
            balance: a.balance,
            created_on: a.created_on,
            modified_on: a.modified_on,
            deleted_on: account.deleted_on,
          },
        });
      },
    );

    app.post(
      '/rest/auth/login',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in: a session bound to `account_id` or the default account',
          security: [],
          body: LoginRequestSchema,
          response: {
            200: successEnvelope(z.union([SessionSchema, AuthOnlyResponseSchema])),
            ...REQUEST_ERRORS,
          },
        },
      },
      async (request) => {
        const body = request.body;
        if (body.auth_only === true) {
          const user = await deps.credentials.checkPassword(body.username, body.password, request.ip);
          return ok({ valid: true as const, user: userDto(user) });
        }
        return ok(await deps.sessions.login(body, request.ip));
      },
    );

    app.post(
      '/rest/auth/refresh',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['auth'],
          summary: 'New token and new refresh token; a spent refresh token revokes the whole sign-in',
          security: [],
          body: RefreshRequestSchema,
          response: { 200: successEnvelope(SessionSchema), ...REQUEST_ERRORS },
        },
      },
      async (request) => ok(await deps.sessions.refresh(request.body.refresh_token)),
    );

    app.post(
      '/rest/auth/masquerade',
      {
        schema: {
          tags: ['auth'],
          summary: 'A new session bound to another account the user belongs to',
          body: MasqueradeRequestSchema,
          response: { 200: successEnvelope(SessionSchema), ...REQUEST_ERRORS },
        },
      },
      async (request) =>
        ok(await deps.sessions.masquerade(principalOf(request), request.body.account_id.toLowerCase())),
    );

    app.post(
      '/rest/auth/logout',
      {
        // Authentication is decided by the route itself: with a refresh token in the body, an expired
        // or revoked bearer must not stop the logout (else the refresh token would live on for 30 days).
        config: { auth: 'none' },
        onRequest: logoutCredentials,
        schema: {
          tags: ['auth'],
          summary:
            'Revokes the session token and its refresh token at once; with `refresh_token` in the body no valid bearer is needed',
          security: [{ bearer: [] }, {}],
          // Fastify gives a request without a body `null`.
          body: z.nullish(LogoutRequestSchema),
          response: { 204: z.null().describe('No content'), ...REQUEST_ERRORS },
        },
      },
      async (request, reply) => {
        const refreshToken = request.body?.refresh_token;
        const principal = request.principal ?? undefined;
        if (refreshToken === undefined) {
          const failure = credentialFailures.get(request);
          if (failure !== undefined) throw failure;
          if (principal === undefined) throw unauthenticated();
          await deps.sessions.logout(principal);
        } else {
          // A valid session bearer is logged out too; other credentials are not what logout ends.
          if (principal?.kind === 'user' && principal.door === 'session')
            await deps.sessions.logout(principal);
          await deps.sessions.logoutRefreshToken(refreshToken);
        }
        return reply.code(204).send(null);
      },
    );

    /**
     * Resolves the credentials before the body is read (so idempotency keys stay per principal), but
     * keeps a 401 for the handler: it matters only when the body carries no refresh token.
     */
    function logoutCredentials(request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
      const fail = (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) {
          credentialFailures.set(request, error);
          done();
        } else done(error as Error);
      };
      const accept = (principal: Principal | undefined) => {
        try {
          if (principal !== undefined) {
            deps.credentials.takeRate(principal);
            request.principal = principal;
          }
          done();
        } catch (error) {
          done(error as Error);
        }
      };
      try {
        const xAuthToken = request.headers['x-auth-token'];
        if (Array.isArray(xAuthToken))
          throw new ApiError('invalid_request', 'X-Auth-Token must be sent once');
        const result = deps.credentials.resolvePrincipal(
          {
            authorization: request.headers.authorization,
            xAuthToken,
            basicWins: false,
          },
          request,
        );
        if (result instanceof Promise) result.then(accept, fail);
        else accept(result);
      } catch (error) {
        fail(error);
      }
    }
  };
}

/** A logout request's credential error, thrown only if the body has no refresh token. */
const credentialFailures = new WeakMap<FastifyRequest, ApiError>();
