import { randomBytes } from 'node:crypto';
import {
  AccountUserSchema,
  AddAccountUserRequestSchema,
  ErrorEnvelopeSchema,
  listPayload,
  PaginationQuerySchema,
  successEnvelope,
  UpdateAccountUserRequestSchema,
  UuidSchema,
} from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, notFound } from '../../http/api-error.js';
import { accountOf } from '../../http/request-context.js';
import { ok, REQUEST_ERRORS } from '../../http/route-kit.js';
import type { IdentityDeps } from '../deps.js';
import { findUserByEmail, userDto } from '../identity-store.js';

/**
 * `/rest/account/user`: the account's users (admin access). Adding an email that has no user yet
 * creates one with an unusable password (an invitation: they set one elsewhere). Every change that
 * touches who may do what drops the user's cached credentials at once.
 */
export function accountUserRoutes(deps: IdentityDeps): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const params = z.strictObject({ uuid: UuidSchema });

    app.get(
      '/rest/account/user',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['account users'],
          summary: "The account's users and their access",
          querystring: PaginationQuerySchema,
          response: { 200: successEnvelope(listPayload(AccountUserSchema)), ...REQUEST_ERRORS },
        },
      },
      async (request) => {
        const account = accountOf(request);
        const { total, rows } = await deps.accountUsers.page(account.id, request.query);
        return ok({
          take: request.query.take,
          skip: request.query.skip,
          total,
          data: rows.map((r) => ({ ...userDto(r), access: r.access })),
        });
      },
    );

    app.post(
      '/rest/account/user',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['account users'],
          summary: 'Add a user to the account (an unknown email is invited: a user is created)',
          body: AddAccountUserRequestSchema,
          response: { 201: successEnvelope(AccountUserSchema), 409: ErrorEnvelopeSchema, ...REQUEST_ERRORS },
        },
      },
      async (request, reply) => {
        const account = accountOf(request);
        const body = request.body;
        const now = deps.now();
        let user = await findUserByEmail(deps.db, body.email);
        if (user === undefined) {
          const hash = await deps.credentials.hasher.hash(randomBytes(32).toString('base64url'));
          const invited = { firstName: body.first_name ?? '', lastName: body.last_name ?? '' };
          await deps.accountUsers.invite(
            { email: body.email, ...invited, passwordHash: hash, accountId: account.id },
            now,
          );
          user = await findUserByEmail(deps.db, body.email);
          if (user === undefined) throw new ApiError('conflict', 'The user could not be created; retry');
        }
        if (!(await deps.accountUsers.addMember(user.uuid, account.id, body.access, now))) {
          throw new ApiError(
            'conflict',
            'This user already belongs to the account: change their access with PATCH',
          );
        }
        deps.credentials.userChanged(user.uuid);
        return reply.code(201).send(ok({ ...userDto(user), access: body.access }));
      },
    );

    app.patch(
      '/rest/account/user/:uuid',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['account users'],
          summary: "Change a user's access on this account and/or their API access",
          params,
          body: UpdateAccountUserRequestSchema,
          response: {
            200: successEnvelope(AccountUserSchema),
            404: ErrorEnvelopeSchema,
            409: ErrorEnvelopeSchema,
            ...REQUEST_ERRORS,
          },
        },
      },
      async (request) => {
        const account = accountOf(request);
        const userId = request.params.uuid.toLowerCase();
        const body = request.body;
        const store = deps.accountUsers;
        const result = await store.transaction(async (trx) => {
          const row = await store.member(trx, account.id, userId);
          if (row === undefined) throw notFound('user');
          if (body.access !== undefined && body.access !== row.access) {
            if (row.access === 'admin' && (await store.adminCount(trx, account.id)) <= 1) {
              throw new ApiError(
                'conflict',
                'This is the last admin of the account: make someone else admin first',
              );
            }
            await store.setAccess(trx, account.id, userId, body.access);
          }
          if (body.api_access !== undefined) {
            await store.setApiAccess(trx, userId, body.api_access, deps.now());
          }
          return store.member(trx, account.id, userId);
        });
        deps.credentials.userChanged(userId);
        if (result === undefined) throw notFound('user');
        return ok({ ...userDto(result), access: result.access });
      },
    );

    app.delete(
      '/rest/account/user/:uuid',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['account users'],
          summary: 'Remove a user from this account',
          params,
          response: {
            204: z.null().describe('No content'),
            404: ErrorEnvelopeSchema,
            409: ErrorEnvelopeSchema,
            ...REQUEST_ERRORS,
          },
        },
      },
      async (request, reply) => {
        const account = accountOf(request);
        const userId = request.params.uuid.toLowerCase();
        const store = deps.accountUsers;
        await store.transaction(async (trx) => {
          const row = await store.member(trx, account.id, userId);
          if (row === undefined) throw notFound('user');
          if (row.access === 'admin' && (await store.adminCount(trx, account.id)) <= 1) {
            throw new ApiError(
              'conflict',
              'This is the last admin of the account: make someone else admin first',
            );
          }
          await store.removeMember(trx, account.id, userId);
        });
        deps.credentials.userChanged(userId);
        return reply.code(204).send(null);
      },
    );
  };
}
