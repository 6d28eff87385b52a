import type { Area } from '../areas.js';
import { AccountUserStore } from './account-user-store.js';
import { ApiTokenStore } from './api-token-store.js';
import type { IdentityDeps } from './deps.js';
import { accountUserRoutes } from './routes/account-users.js';
import { accountRoutes } from './routes/accounts.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { authRoutes } from './routes/auth.js';
import { callbackSecretRoutes } from './routes/callback-secret.js';
import { SessionStore } from './session-store.js';
import { Sessions } from './sessions.js';

/**
 * Identity: sign-in and sessions, accounts, API tokens, account users, the callback secret. The
 * credential doors themselves are the core's (`ctx.auth`): every area's routes pass through them.
 */
export const identityArea: Area = {
  name: 'identity',
  setup(ctx) {
    const sessions = new Sessions({
      store: new SessionStore(ctx.db),
      credentials: ctx.auth,
      config: ctx.config,
      now: ctx.now,
    });
    const deps: IdentityDeps = {
      db: ctx.db,
      now: ctx.now,
      credentials: ctx.auth,
      sessions,
      apiTokens: new ApiTokenStore(ctx.db),
      accountUsers: new AccountUserStore(ctx.db),
      // The realtime area, when mounted, knows the sockets.
      isOnline: async (userId) => (await ctx.services.presence?.isOnline(userId)) ?? false,
    };
    return {
      provides: { sessions },
      async routes(app) {
        await app.register(authRoutes(deps));
        await app.register(accountRoutes(deps));
        await app.register(apiTokenRoutes(deps));
        await app.register(accountUserRoutes(deps));
        await app.register(callbackSecretRoutes(deps));
      },
    };
  },
};
