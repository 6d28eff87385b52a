import { randomBytes, randomUUID } from 'node:crypto';
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
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { isoTime } from '../../db/time.js';
import { ApiError, notFound } from '../../http/api-error.js';
import { accountOf } from '../../http/request-context.js';
import { ok, REQUEST_ERRORS } from '../../http/route-kit.js';
import { identityKey } from '../auth/identity-key.js';
import type { IdentityDeps } from '../deps.js';
import { findUserByEmail, userDto } from '../identity-store.js';

async function memberRow(
  db: Transaction<Database> | Parameters<typeof findUserByEmail>[0],
  accountId: string,
  userId: string,
) {
  return db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.uuid', 'membership.user_id')
    .selectAll('app_user')
    .select('membership.access as access')
    .where('membership.account_id', '=', accountId)
    .where('membership.user_id', '=', userId)
    .where('app_user.deleted_on', 'is', null)
    .executeTakeFirst();
}

async function adminCount(db: Parameters<typeof findUserByEmail>[0], accountId: string): Promise<number> {
  const row = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('access', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

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
        const base = deps.db
          .selectFrom('membership')
          .innerJoin('app_user', 'app_user.uuid', 'membership.user_id')
          .where('membership.account_id', '=', account.id)
          .where('app_user.deleted_on', 'is', null);
        const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        const rows = await base
          .selectAll('app_user')
          .select('membership.access as access')
          .orderBy('app_user.email')
          .limit(request.query.take)
          .offset(request.query.skip)
          .execute();
        return ok({
          take: request.query.take,
          skip: request.query.skip,
          total: Number(total.n),
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
        const now = isoTime(deps.now());
        let user = await findUserByEmail(deps.db, body.email);
        if (user === undefined) {
          const hash = await deps.credentials.hasher.hash(randomBytes(32).toString('base64url'));
          const uuid = randomUUID();
          await deps.db
            .insertInto('app_user')
            .values({
              uuid,
              email: body.email,
              email_key: identityKey(body.email),
              password_hash: hash,
              first_name: body.first_name ?? '',
              last_name: body.last_name ?? '',
              phone_number: null,
              role: 'User',
              api_access: 1,
              status: 'active',
              default_account_id: account.id,
              created_on: now,
              modified_on: now,
              deleted_on: null,
            })
            .onConflict((oc) => oc.column('email_key').doNothing())
            .execute();
          user = await findUserByEmail(deps.db, body.email);
          if (user === undefined) throw new ApiError('conflict', 'The user could not be created; retry');
        }
        const inserted = await deps.db
          .insertInto('membership')
          .values({ user_id: user.uuid, account_id: account.id, access: body.access, created_on: now })
          .onConflict((oc) => oc.columns(['user_id', 'account_id']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) {
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
        const result = await deps.db.transaction().execute(async (trx) => {
          const row = await memberRow(trx, account.id, userId);
          if (row === undefined) throw notFound('user');
          if (body.access !== undefined && body.access !== row.access) {
            if (row.access === 'admin' && (await adminCount(trx, account.id)) <= 1) {
              throw new ApiError(
                'conflict',
                'This is the last admin of the account: make someone else admin first',
              );
            }
            await trx
              .updateTable('membership')
              .set({ access: body.access })
              .where('account_id', '=', account.id)
              .where('user_id', '=', userId)
              .execute();
          }
          if (body.api_access !== undefined) {
            await trx
              .updateTable('app_user')
              .set({ api_access: body.api_access ? 1 : 0, modified_on: isoTime(deps.now()) })
              .where('uuid', '=', userId)
              .execute();
          }
          return memberRow(trx, account.id, userId);
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
        await deps.db.transaction().execute(async (trx) => {
          const row = await memberRow(trx, account.id, userId);
          if (row === undefined) throw notFound('user');
          if (row.access === 'admin' && (await adminCount(trx, account.id)) <= 1) {
            throw new ApiError(
              'conflict',
              'This is the last admin of the account: make someone else admin first',
            );
          }
          await trx
            .deleteFrom('membership')
            .where('account_id', '=', account.id)
            .where('user_id', '=', userId)
            .execute();
        });
        deps.credentials.userChanged(userId);
        return reply.code(204).send(null);
      },
    );
  };
}
