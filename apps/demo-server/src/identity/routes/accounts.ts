import { AccountAccessSchema, AccountSchema, successEnvelope } from '@callwire/types';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../http/api-error.js';
import { accountOf, principalOf } from '../../http/request-context.js';
import { ok, REQUEST_ERRORS } from '../../http/route-kit.js';
import { accessOn } from '../auth/principal.js';
import type { IdentityDeps } from '../deps.js';
import {
  type AccountRow,
  accountDto,
  cachedAccount,
  getAccount,
  integratorLinks,
} from '../identity-store.js';

/** The serialized envelope of each account row (see envelopeOf). */
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
      (request, reply) => {
        // Synchronous when the row is cached (nearly every request): no promise, no microtask
        // hop, on the hottest route of all.
        const id = accountOf(request).id;
        const row = cachedAccount(deps.db, id);
        if (row === undefined) return sendAccount(reply, id);
        // The typed reply expects the envelope object; this is that envelope, serialized already.
        reply.type(JSON_UTF8).send(envelopeOf(row) as never);
        return undefined;
      },
    );
  };

  /** The account read from the database (not cached yet, or gone), then answered. */
  async function sendAccount(reply: FastifyReply, id: string): Promise<void> {
    const row = await getAccount(deps.db, id);
    if (row === undefined) throw new ApiError('account_forbidden', 'You may not act on this account');
    reply.type(JSON_UTF8).send(envelopeOf(row));
  }
}

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * The serialized envelope of an account row: rows are shared until the next write (see
 * cachedAccount), so their envelope can be too and the hottest route of all skips JSON.stringify.
 */
function envelopeOf(row: AccountRow): string {
  let body = envelopes.get(row);
  if (body === undefined) {
    body = JSON.stringify(ok(accountDto(row)));
    envelopes.set(row, body);
  }
  return body;
}
