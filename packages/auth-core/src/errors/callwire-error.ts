import { redactSecrets } from './redact.js';

/**
 * The brand is a registered symbol (`Symbol.for`), so `isCallwireError()` recognises errors thrown
 * by another copy of this package (two versions in one node_modules, a bundled copy), where
 * `instanceof` would say no.
 */
export const CALLWIRE_ERROR: unique symbol = Symbol.for('callwire.error');

/** What is wrong with one field of a refused request. */
export interface FieldError {
  message: string;
}

/** What every Callwire error is made of. */
export interface CallwireErrorOptions {
  /** Machine-readable code: the contract's `code` (`invalid_credentials`, `rate_limited`, …). */
  code: string;
  message: string;
  /**
   * HTTP status when the error came from a response.
   * @defaultValue none
   */
  status?: number | undefined;
  /**
   * The server's `request_id` / `X-Request-Id`: quote it when asking for support.
   * @defaultValue none
   */
  requestId?: string | undefined;
  /**
   * Per-field problems, keyed `<body|query|params>.<name>`.
   * @defaultValue none
   */
  fields?: Record<string, FieldError> | undefined;
  /**
   * Seconds to wait before retrying, when the server said so (`Retry-After`).
   * @defaultValue none
   */
  retryAfter?: number | undefined;
  /**
   * The error that led to this one (kept as the standard `cause`).
   * @defaultValue none
   */
  cause?: unknown;
}

/** What `toJSON()` returns: safe to log, print and send; never holds a credential. */
export interface CallwireErrorJSON {
  name: string;
  code: string;
  message: string;
  status?: number;
  requestId?: string;
  fields?: Record<string, FieldError>;
  retryAfter?: number;
  [extra: string]: unknown;
}

/** The base of every error the Callwire packages throw. */
export class CallwireError extends Error {
  readonly [CALLWIRE_ERROR] = true as const;
  readonly code: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly fields: Record<string, FieldError> | undefined;
  readonly retryAfter: number | undefined;

  constructor(options: CallwireErrorOptions) {
    // Messages may quote server text or a caller's input; mask anything credential-shaped.
    super(redactSecrets(options.message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.fields = options.fields;
    this.retryAfter = options.retryAfter;
  }

  /** Extra fields a subclass adds to `toJSON()`. */
  protected jsonExtras(): Record<string, unknown> {
    return {};
  }

  /** The error as plain data, safe to log, print and send: no credential is ever part of it. */
  toJSON(): CallwireErrorJSON {
    const json: CallwireErrorJSON = { name: this.name, code: this.code, message: this.message };
    if (this.status !== undefined) json.status = this.status;
    if (this.requestId !== undefined) json.requestId = this.requestId;
    if (this.fields !== undefined) json.fields = this.fields;
    if (this.retryAfter !== undefined) json.retryAfter = this.retryAfter;
    return Object.assign(json, this.jsonExtras());
  }
}

/** True for any Callwire error, including ones thrown by another copy of this package. */
export function isCallwireError(value: unknown): value is CallwireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [CALLWIRE_ERROR]?: unknown })[CALLWIRE_ERROR] === true
  );
}
