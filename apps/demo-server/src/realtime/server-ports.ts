import type { ServerContext } from '../context.js';
import { areaDb } from '../db/area-db.js';
import { isoTime } from '../db/time.js';
import type { EventService } from '../events/event-service.js';
import type { EventsTables } from '../events/tables.js';
import { resolveAccount } from '../http/scope.js';
import { accountDto, getAccount, getUser, userDto } from '../identity/identity-store.js';
import { activeWssFor } from '../webhooks/subscription-store.js';
import type { RealtimePorts, WsIdentity } from './ports.js';
import { ThrottledLog } from './throttled-log.js';

/** The realtime layer's view of the server: token verification, scoping and the event log. */
export function createRealtimePorts<DB>(ctx: ServerContext, events: EventService<DB>): RealtimePorts {
  const db = areaDb<EventsTables>(ctx.db);
  const refusals = new ThrottledLog((details, message) => ctx.logger.warn(details, message));
  return {
    async authenticate(token: string): Promise<WsIdentity> {
      // The same verification as a bearer request (session and API tokens, revocation, expiry,
      // api_access); its ApiErrors carry the status and code the socket reports.
      const principal = await ctx.auth.verifyBearer(token);
      const accountId = principal.boundAccountId!;
      const [user, account] = await Promise.all([
        getUser(ctx.db, principal.user.uuid),
        getAccount(ctx.db, accountId),
      ]);
      if (user === undefined || account === undefined) {
        throw { status: 401, code: 'invalid_token', message: 'The token is not valid' };
      }
      return {
        userId: principal.user.uuid,
        credentialId: principal.credentialId!,
        accountId,
        expiresOn: principal.expiresAt!,
        ...(principal.door === 'session' ? { lifetimeMs: ctx.config.tokenLifetime * 1000 } : {}),
        user: userDto(user),
        account: accountDto(account),
        principal,
      };
    },
    async mayActOn(identity, accountId) {
      // Exactly the REST rule: membership, and a token reads only its bound account.
      try {
        resolveAccount(identity.principal, accountId, ctx.config.accountScope, 'viewer');
        return true;
      } catch {
        return false;
      }
    },
    restSubscriptions: (userId) => activeWssFor(db, userId, isoTime(ctx.now())),
    backlog: {
      lastSeq: (accountId) => events.lastSeq(accountId),
      readAfter: (accountId, afterSeq, limit) => events.readAfter(accountId, afterSeq, limit),
    },
    now: () => ctx.now(),
    logError: (error, message) => ctx.logger.error({ err: error }, message),
    logRefusal: (details, message) => refusals.log(details, message),
  };
}
