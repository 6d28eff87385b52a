import type { Area, MountedArea } from '../areas.js';
import { areaDb } from '../db/area-db.js';
import type { Database } from '../db/schema.js';
import { isoTime } from '../db/time.js';
import { inTransaction } from '../db/transaction.js';
import { accountDto, getAccount } from '../identity/identity-store.js';
import { ConnectionHub } from '../realtime/connection-hub.js';
import { createRealtimePorts } from '../realtime/server-ports.js';
import { SharedPresence } from '../realtime/shared-presence.js';
import { setupWebhookDeliveries } from '../webhooks/deliveries.js';
import { isLive, toRestWss } from '../webhooks/subscription-store.js';
import { type ControlMessage, isControlMessage } from './control.js';
import { EventService } from './event-service.js';
import { readEventsOptions } from './options.js';
import { eventRoutes } from './routes/events.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { websocketRoutes } from './routes/websocket.js';
import type { EventsTables } from './tables.js';

/**
 * Events, realtime and webhooks. Events fan out to this instance's sockets, to
 * other instances through PostgreSQL LISTEN/NOTIFY, and to webhooks through deliveries written in
 * the emitting transaction.
 */
export const eventsArea: Area = {
  name: 'events',

  setup(ctx): MountedArea {
    const options = readEventsOptions(ctx.tuning.events);
    const db = areaDb<EventsTables>(ctx.db);
    const logError = (error: unknown, message: string) => ctx.logger.error({ err: error }, message);
    const events = new EventService<Database>({
      db: ctx.db,
      runTransaction: (fn) => inTransaction(ctx.db, fn),
      runBackgroundTransaction: (fn) => inTransaction(ctx.storage.background, fn),
      databaseUrl: ctx.dialect === 'postgres' ? ctx.config.databaseUrl : undefined,
      databaseSchema: ctx.config.databaseSchema,
      now: () => ctx.now(),
      retentionMs: ctx.config.eventRetentionMs,
      strict: options.strictEvents,
      logError,
      logWarn: (details, message) => ctx.logger.warn(details, message),
    });
    // Every delivery attempt is a step of the server's one step worker (set up by the telephony
    // area, before this one).
    const steps = ctx.services.steps;
    if (steps === undefined) throw new Error('the step worker is not set up');
    setupWebhookDeliveries({
      db,
      background: areaDb<EventsTables>(ctx.storage.background),
      events,
      steps,
      outbound: ctx.outbound,
      timeoutMs: options.webhookTimeoutMs,
      backoffMs: options.webhookBackoffMs,
    });

    // Several instances may share PostgreSQL: presence is then written where all of them see it.
    const presence =
      ctx.dialect === 'postgres' ? new SharedPresence({ db, now: () => ctx.now(), logError }) : undefined;
    const hub = new ConnectionHub({
      ports: createRealtimePorts(ctx, events),
      limits: options.realtime,
      bus: events.bus,
      beforeShutdown: () => events.flush(),
      ...(presence === undefined
        ? {}
        : { presenceChanged: (userId, online) => presence.changed(userId, online) }),
    });
    const broadcast = (message: ControlMessage) => {
      events.broadcastControl(message).catch((error: unknown) => logError(error, 'control broadcast failed'));
    };
    ctx.signals.on('credentials.revoked', ({ userId, credentialIds }) =>
      broadcast({ kind: 'revoked', userId, credentialIds: [...credentialIds] }),
    );
    ctx.signals.on('user.changed', ({ userId }) => broadcast({ kind: 'user', userId }));
    // An account's own fields changed: `account.updated` with the account as GET returns it.
    ctx.signals.on('account.updated', ({ accountId }) => {
      events
        .transaction(async (trx, emit) => {
          const row = await getAccount(trx, accountId);
          if (row === undefined) return;
          await emit({
            accountId,
            type: 'account.updated',
            refId: accountId,
            message: `Account ${row.name} updated`,
            payload: accountDto(row),
          });
        })
        .catch((error: unknown) => logError(error, 'account.updated event failed'));
    });
    events.onControl((body) => {
      if (!isControlMessage(body)) return;
      switch (body.kind) {
        // Every instance hears these within milliseconds (this one too): its caches forget the
        // credentials at once, so a revocation or a disabled user holds everywhere.
        case 'revoked':
          ctx.auth.forgetCredentials(body.credentialIds);
          for (const id of body.credentialIds) hub.revokeCredential(id);
          return;
        case 'user':
          ctx.auth.forgetUser(body.userId);
          hub.refreshUser(body.userId).catch((error: unknown) => logError(error, 'websocket refresh failed'));
          return;
        case 'wss':
          hub.applyRestSubscription(body.userId, body.uuid, body.subscription ?? undefined);
          return;
      }
    });

    return {
      provides: {
        events,
        realtime: hub,
        // `wss_online` in GET /rest/auth: sockets of this instance, then of the others.
        presence: {
          isOnline: async (userId) =>
            hub.connectionsOf(userId) > 0 || ((await presence?.elsewhere(userId)) ?? false),
        },
      },
      async routes(app) {
        await app.register(eventRoutes(events));
        await app.register(
          subscriptionRoutes({
            db,
            now: () => ctx.now(),
            wssChanged: async (row) => {
              if (row.user_id === null) return;
              const live = isLive(row, isoTime(ctx.now())) ? (toRestWss(row) ?? null) : null;
              try {
                await events.broadcastControl({
                  kind: 'wss',
                  userId: row.user_id,
                  uuid: row.uuid,
                  subscription: live,
                });
              } catch (error) {
                ctx.logger.error({ err: error }, 'control broadcast failed');
              }
            },
          }),
        );
        await app.register(websocketRoutes(hub));
      },
      async start() {
        await events.start();
        presence?.start();
      },
      async close() {
        await hub.shutdown();
        await presence?.stop();
        await events.stop();
      },
    };
  },
};
