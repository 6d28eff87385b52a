import {
  type Account,
  AccountAccessSchema,
  AccountSchema,
  ErrorEnvelopeSchema,
  successEnvelope,
} from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOn } from '../auth/principal.js';
import { ApiError } from '../http/api-error.js';
import { accountOf, principalOf } from '../http/request-context.js';
import { accountDto, getAccount, integratorLinks } from '../identity/repo.js';
import { ok } from './envelope.js';

const errors = {
  400: ErrorEnvelopeSchema,
  401: ErrorEnvelopeSchema,
  403: ErrorEnvelopeSchema,
  429: ErrorEnvelopeSchema,
};

const envelopes = new WeakMap<object, { success: true; payload: Account }>();

/** `GET /rest/accounts` and `GET /rest/account`. */
export const accountRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { ctx } = fastify;

  app.get(
    '/rest/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Every account the caller may act on, with their access and which one is the default',
        response: { 200: successEnvelope(z.array(AccountAccessSchema)), ...errors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const memberships =
        principal.kind === 'integrator'
          ? await integratorLinks(ctx.db, principal.appKey)
          : principal.memberships;
      const rows = await Promise.all(memberships.map((m) => getAccount(ctx.db, m.accountId)));
      const defaultId =
        principal.kind === 'user' ? (principal.boundAccountId ?? principal.user.defaultAccountId) : undefined;
      const out = [];
      for (const [i, m] of memberships.entries()) {
        const row = rows[i];
        if (row === undefined) continue;
        out.push({
          uuid: row.uuid,
          name: row.name,
          level: row.level,
          access: accessOn(principal, m.accountId) ?? m.access,
          default: row.uuid === defaultId,
        });
      }
      return ok(out);
    },
  );

  app.get(
    '/rest/account',
    {
      config: { scoped: true },
      schema: {
        tags: ['accounts'],
        summary: 'The account this request runs under',
        response: { 200: successEnvelope(AccountSchema), ...errors },
      },
    },
    async (request) => {
      const row = await getAccount(ctx.db, accountOf(request).id);
      if (row === undefined) throw new ApiError('account_forbidden', 'You may not act on this account');
      // Rows are shared until the next write (see getAccount), so their envelope can be too.
      let body = envelopes.get(row);
      if (body === undefined) {
        body = ok(accountDto(row));
        envelopes.set(row, body);
      }
      return body;
    },
  );
};
