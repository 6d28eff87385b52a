export {
  CALLWIRE_ERROR,
  CallwireError,
  type CallwireErrorJSON,
  type CallwireErrorOptions,
  type FieldError,
  isCallwireError,
} from './callwire-error.js';
export {
  type AccountChoice,
  AccountRequiredError,
  AuthenticationError,
  ConflictError,
  type ErrorClassOptions,
  InsufficientBalanceError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  WebhookSignatureError,
  type WebhookSignatureFailure,
} from './classes.js';
export { errorFromResponse, parseRetryAfter } from './from-response.js';
export { type HeadersLike, REDACTED, redactHeaders, redactObject, redactSecrets } from './redact.js';
