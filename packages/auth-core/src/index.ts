export { type BasicParseFailure, encodeBasic, type ParsedBasic, parseBasic } from './basic.js';
export { type CredentialsParseFailure, MAX_CREDENTIALS_HEADER_LENGTH } from './credentials-codec.js';
export * from './errors/index.js';
export { encodeIntegrator, type ParsedIntegrator, parseIntegrator } from './integrator.js';
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
