import { type ResponseIssue, ResponseValidationError } from './errors.js';
import type { ClientLogger, ValidationMode } from './options.js';

/** The part of a zod schema the client uses; keeps zod out of this package's dependencies. */
export interface Schema<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly ResponseIssue[] } };
}

export interface Validator {
  readonly mode: ValidationMode;
  check<T>(schema: Schema<T> | undefined, value: unknown, endpoint: string, response: Response): T;
}

export function createValidator(mode: ValidationMode, logger: ClientLogger): Validator {
  // `warn` logs each endpoint once per client family: a drifting server must not flood the logs.
  const warned = new Set<string>();
  return {
    mode,
    check<T>(schema: Schema<T> | undefined, value: unknown, endpoint: string, response: Response): T {
      if (mode === 'off' || schema === undefined) return value as T;
      const result = schema.safeParse(value);
      if (result.success) return result.data;
      const requestId = response.headers.get('x-request-id') ?? undefined;
      const error = new ResponseValidationError({
        endpoint,
        issues: result.error.issues,
        status: response.status,
        requestId,
      });
      if (mode === 'strict') throw error;
      if (!warned.has(endpoint)) {
        warned.add(endpoint);
        logger.warn(error.message, { endpoint, requestId, issues: error.toJSON().issues });
      }
      return value as T;
    },
  };
}
