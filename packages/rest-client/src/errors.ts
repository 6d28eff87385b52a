import { CallwireError } from '@callwire/auth-core';

/** One way in which a response body does not match its schema: where, and what. */
export interface ResponseIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * A successful response whose body does not match the contract (`validate: 'strict'`). Not the
 * server refusing the request (that is auth-core's `ValidationError`): the server said yes, but in
 * a shape this client does not understand, usually a version mismatch.
 */
export class ResponseValidationError extends CallwireError {
  readonly issues: readonly ResponseIssue[];
  readonly endpoint: string;

  constructor(options: {
    endpoint: string;
    issues: readonly ResponseIssue[];
    status?: number | undefined;
    requestId?: string | undefined;
  }) {
    const first = options.issues[0];
    const where =
      first === undefined ? '' : ` at ${first.path.map(String).join('.') || '(root)'}: ${first.message}`;
    super({
      code: 'invalid_response',
      status: options.status,
      requestId: options.requestId,
      message: `${options.endpoint} returned a body that does not match the contract${where}`,
    });
    this.issues = options.issues;
    this.endpoint = options.endpoint;
  }

  protected override jsonExtras(): Record<string, unknown> {
    return {
      endpoint: this.endpoint,
      issues: this.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    };
  }
}
