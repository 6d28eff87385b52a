import type { FastifyPluginAsync } from 'fastify';
import type { Area } from '../areas.js';
import { accountUserRoutes } from '../routes/account-users.js';
import { accountRoutes } from '../routes/accounts.js';
import { apiTokenRoutes } from '../routes/api-tokens.js';
import { authRoutes } from '../routes/auth.js';
import { callbackSecretRoutes } from '../routes/callback-secret.js';

const routes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(accountRoutes);
  await app.register(apiTokenRoutes);
  await app.register(accountUserRoutes);
  await app.register(callbackSecretRoutes);
};

/** Identity: auth doors' endpoints, accounts, API tokens, account users. */
export const identityArea: Area = { name: 'identity', routes };
