import { randomUUID } from 'node:crypto';
import {
  ApiTokenSchema,
  CreateApiTokenRequestSchema,
  ErrorEnvelopeSchema,
  listPayload,
  PaginationQuerySchema,
  successEnvelope,
  UuidSchema,
} from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoTime } from '../../db/time.js';
import { ApiError, notFound } from '../../http/api-error.js';
import { accountOf, principalOf } from '../../http/request-context.js';
import { ok, REQUEST_ERRORS } from '../../http/route-kit.js';
import { API_TOKEN_PREFIX, newToken, tokenHash } from '../auth/tokens.js';
import type { IdentityDeps } from '../deps.js';

function userOnly(request: Parameters<typeof principalOf>[0]) {
  const principal = principalOf(request);
  if (principal.kind !== 'user') {
    throw new ApiError(
      'forbidden',
      'API tokens belong to users; integrators authenticate with their own credentials',
    );
  }
  return principal;
}

/**
 * `/rest/token`: long-lived API tokens, bound to the creating user and the account the request runs
 * under. Each user sees and revokes their own tokens; an account admin sees and revokes every token
 * of the account.
 */
export function apiTokenRoutes(deps: IdentityDeps): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/rest/token',
      {
        config: { scoped: true },
        schema: {
          tags: ['tokens'],
          summary: 'API tokens of this account (yours; all of them for an admin)',
          querystring: PaginationQuerySchema,
          response: { 200: successEnvelope(listPayload(ApiTokenSchema)), ...REQUEST_ERRORS },
        },
      },
      async (request) => {
        const principal = userOnly(request);
        const account = accountOf(request);
        const { total, rows } = await deps.apiTokens.page(
          {
            accountId: account.id,
            // An admin sees every token of the account, anyone else their own.
            userId: account.access === 'admin' ? undefined : principal.user.uuid,
            now: deps.now(),
          },
          { take: request.query.take, skip: request.query.skip },
        );
        return ok({
          take: request.query.take,
          skip: request.query.skip,
          total,
          data: rows.map((r) => ({
            uuid: r.uuid,
            name: r.name,
            ttl: Number(r.ttl),
            expired_on: r.expired_on,
            created_on: r.created_on,
          })),
        });
      },
    );

    app.post(
      '/rest/token',
      {
        config: { scoped: true },
        schema: {
          tags: ['tokens'],
          summary: 'Create an API token (shown once)',
          body: CreateApiTokenRequestSchema,
          response: { 201: successEnvelope(ApiTokenSchema), ...REQUEST_ERRORS },
        },
      },
      async (request, reply) => {
        const principal = userOnly(request);
        const account = accountOf(request);
        const token = newToken(API_TOKEN_PREFIX);
        const now = deps.now();
        const row = {
          uuid: randomUUID(),
          user_id: principal.user.uuid,
          account_id: account.id,
          name: request.body.name,
          token_hash: tokenHash(token),
          ttl: request.body.ttl,
          expired_on: isoTime(now + request.body.ttl * 1000),
          created_on: isoTime(now),
          revoked_on: null,
        };
        await deps.apiTokens.insert(row);
        return reply.code(201).send(
          ok({
            uuid: row.uuid,
            name: row.name,
            ttl: row.ttl,
            token,
            expired_on: row.expired_on,
            created_on: row.created_on,
          }),
        );
      },
    );

    app.delete(
      '/rest/token/:uuid',
      {
        config: { scoped: true },
        schema: {
          tags: ['tokens'],
          summary: 'Revoke an API token at once',
          params: z.strictObject({ uuid: UuidSchema }),
          response: { 204: z.null().describe('No content'), 404: ErrorEnvelopeSchema, ...REQUEST_ERRORS },
        },
      },
      async (request, reply) => {
        const principal = userOnly(request);
        const account = accountOf(request);
        const row = await deps.apiTokens.live(request.params.uuid.toLowerCase(), account.id);
        if (row === undefined || (account.access !== 'admin' && row.user_id !== principal.user.uuid)) {
          throw notFound('token');
        }
        await deps.apiTokens.revoke(row.uuid, deps.now());
        deps.sessions.revokedApiToken(row.user_id, row.uuid);
        return reply.code(204).send(null);
      },
    );
  };
}
