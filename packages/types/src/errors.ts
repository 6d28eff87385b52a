/** Every error code the platform answers with, and the HTTP status it travels with. */
export const ERROR_CODES = {
  invalid_request: 400,
  validation_failed: 400,
  account_required: 400,
  invalid_credentials: 401,
  invalid_token: 401,
  token_expired: 401,
  refresh_token_reused: 401,
  unauthenticated: 401,
  insufficient_balance: 402,
  api_access_disabled: 403,
  forbidden: 403,
  account_forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_conflict: 409,
  duplicate_queue_entry: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
/** An error code this version knows (servers may send others). */
export type ErrorCode = keyof typeof ERROR_CODES;
