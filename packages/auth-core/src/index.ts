export { type BasicParseFailure, encodeBasic, type ParsedBasic, parseBasic } from './basic.js';
export { type CredentialsParseFailure, MAX_CREDENTIALS_HEADER_LENGTH } from './credentials-codec.js';
export * from './errors/index.js';
export type { FetchLike } from './http.js';
export { encodeIntegrator, type ParsedIntegrator, parseIntegrator } from './integrator.js';
export * from './kit/index.js';
/** The logger the auth strategies accept (the shared {@link Logger}). */
export type { Logger as AuthLogger } from './kit/logger.js';
export type { SessionRecord } from './session/record.js';
export { createSessionAuth, type SessionAuth, type SessionAuthOptions } from './session/session-auth.js';
export { createMemorySessionStore, DEFAULT_SESSION_KEY, type SessionStore } from './session/store.js';
export { type SingleFlight, singleFlight } from './single-flight.js';
export { type BasicAuthOptions, createBasicAuth } from './strategies/basic-auth.js';
export { createIntegratorAuth, type IntegratorAuthOptions } from './strategies/integrator-auth.js';
export { createTokenAuth, type TokenAuthOptions } from './strategies/token-auth.js';
export type {
  AuthChange,
  AuthChangeListener,
  AuthChangeReason,
  AuthKind,
  AuthorizeOptions,
  AuthorizeTarget,
  AuthStrategy,
  RefreshOptions,
} from './strategy.js';
export {
  computeSignature,
  DEFAULT_WEBHOOK_TOLERANCE,
  type SignWebhookOptions,
  signWebhook,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
} from './webhook.js';
