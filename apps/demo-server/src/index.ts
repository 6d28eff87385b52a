export const PACKAGE_NAME = '@callwire/demo-server';

export { buildApp } from './app.js';
export type { Area } from './areas.js';
export { ConfigError, DEFAULT_CONFIG, parseConfig, type ServerConfig } from './config.js';
export type { ServerClock, ServerContext } from './context.js';
export { ApiError } from './http/api-error.js';
export type { Principal } from './identity/auth/principal.js';
export { DEMO_ACCOUNTS, DEMO_INTEGRATOR, DEMO_USERS } from './seed/demo-identity.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
