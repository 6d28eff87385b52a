import { AccountAccessSchema, AccountSchema, successEnvelope } from '@callwire/types';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../http/api-error.js';
import { accountOf, principalOf } from '../../http/request-context.js';
import { ok, REQUEST_ERRORS } from '../../http/route-kit.js';
import { accessOn } from '../auth/principal.js';
import type { IdentityDeps } from '../deps.js';
import { accountDto, getAccount, integratorLinks } from '../identity-store.js';

/** The serialized envelope of an account row (rows are shared until the next write, see getAccount). */
const envelopes = new WeakMap<object, string>();

/** `GET /rest/accounts` and `GET /rest/account`. */
export function accountRoutes(deps: IdentityDeps): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/rest/accounts',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Every account the caller may act on, with their access and which one is the default',
          response: { 200: successEnvelope(z.array(AccountAccessSchema)), ...REQUEST_ERRORS },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const memberships =
          principal.kind === 'integrator'
            ? await integratorLinks(deps.db, principal.appKey)
            : principal.memberships;
        const rows = await Promise.all(memberships.map((m) => getAccount(deps.db, m.accountId)));
        const defaultId =
          principal.kind === 'user'
            ? (principal.boundAccountId ?? principal.user.defaultAccountId)
            : undefined;
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
          response: { 200: successEnvelope(AccountSchema), ...REQUEST_ERRORS },
        },
      },
      async (request, reply) => {
        const row = await getAccount(deps.db, accountOf(request).id);
        if (row === undefined) throw new ApiError('account_forbidden', 'You may not act on this account');
        // Rows are shared until the next write (see getAccount), so their serialized envelope can be
        // too: the hottest route of all then skips JSON.stringify.
        let body = envelopes.get(row);
        if (body === undefined) {
          body = JSON.stringify(ok(accountDto(row)));
          envelopes.set(row, body);
        }
        // The typed reply expects the envelope object; this is that envelope, serialized already.
        return reply.type('application/json; charset=utf-8').send(body as never);
      },
    );
  };
}
