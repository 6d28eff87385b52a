import { CallwireError, type CallwireErrorOptions } from './callwire-error.js';

/** The options of each error class: those of {@link CallwireError}, with `code` defaulting to the class's own. */
export type ErrorClassOptions = Omit<CallwireErrorOptions, 'code'> & { code?: string };

/** 401: missing, wrong or expired credentials; also a refresh that could not be recovered. */
export class AuthenticationError extends CallwireError {
  constructor(options: ErrorClassOptions) {
    super({ status: 401, code: 'unauthenticated', ...options });
  }
}

/** 403: authenticated but not allowed (`forbidden`, `account_forbidden`, `api_access_disabled`). */
export class PermissionError extends CallwireError {
  constructor(options: ErrorClassOptions) {
    super({ status: 403, code: 'forbidden', ...options });
  }
}

/** 400/422: the request was refused as invalid (`validation_failed`, `invalid_request`); see `fields`. */
export class ValidationError extends CallwireError {
  constructor(options: ErrorClassOptions) {
    super({ status: 400, code: 'validation_failed', ...options });
  }
}

/** An account the principal may act on, as offered when one must be chosen. */
export interface AccountChoice {
  uuid: string;
  name: string;
}

/**
 * The principal may act on several accounts and none was named. Thrown by the client before an
 * account-scoped request leaves the machine, or mapped from the server's 400 `account_required`.
 * `accounts` lists the choices: bind one with `forAccount(uuid)`.
 */
export class AccountRequiredError extends ValidationError {
  readonly accounts: readonly AccountChoice[];

  constructor(options: ErrorClassOptions & { accounts?: readonly AccountChoice[] }) {
    const { accounts = [], ...rest } = options;
    super({ code: 'account_required', ...rest });
    this.accounts = accounts.map(({ uuid, name }) => ({ uuid, name }));
  }

  protected override jsonExtras(): Record<string, unknown> {
    return { accounts: this.accounts };
  }
}

/** 429: slow down. `retryAfter` is in seconds when the server said (`Retry-After`). */
export class RateLimitError extends CallwireError {
  constructor(options: ErrorClassOptions) {
    super({ status: 429, code: 'rate_limited', ...options });
  }
}

/** 402: the account's balance does not cover the operation. */
export class InsufficientBalanceError extends CallwireError {
  constructor(options: ErrorClassOptions) {
    super({ status: 402, code: 'insufficient_balance', ...options });
  }
}

/** 404 */
export class NotFoundError extends CallwireError {
  constructor(options: ErrorClassOptions) {
    super({ status: 404, code: 'not_found', ...options });
  }
}

/** 409: `conflict`, `idempotency_conflict`, … */
export class ConflictError extends CallwireError {
  constructor(options: ErrorClassOptions) {
    super({ status: 409, code: 'conflict', ...options });
  }
}

/** The request never got a response (DNS, refused connection, reset). Safe to retry idempotent calls. */
export class NetworkError extends CallwireError {
  constructor(options: ErrorClassOptions) {
    super({ code: 'network_error', ...options });
  }
}

/** No response within the time allowed. */
export class TimeoutError extends CallwireError {
  constructor(options: ErrorClassOptions) {
    super({ code: 'timeout', ...options });
  }
}

/** A webhook's `Callwire-Signature` did not verify. `reason` says why, for logs; answer 400 either way. */
export type WebhookSignatureFailure =
  | 'missing_header'
  | 'malformed_header'
  | 'no_signatures'
  | 'timestamp_out_of_tolerance'
  | 'signature_mismatch';

export class WebhookSignatureError extends CallwireError {
  readonly reason: WebhookSignatureFailure;

  constructor(options: ErrorClassOptions & { reason: WebhookSignatureFailure }) {
    const { reason, ...rest } = options;
    super({ code: 'invalid_signature', ...rest });
    this.reason = reason;
  }

  protected override jsonExtras(): Record<string, unknown> {
    return { reason: this.reason };
  }
}
