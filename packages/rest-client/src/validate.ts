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

type Shape = Record<string, Schema<unknown>>;
type ShapeOutput<S extends Shape> = { [K in keyof S]: S[K] extends Schema<infer T> ? T : never };

/** An object schema from per-key schemas, for the few composite answers @callwire/types does not name. */
export function shapeOf<S extends Shape>(shape: S): Schema<ShapeOutput<S>> {
  return {
    safeParse(value: unknown) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { success: false, error: { issues: [{ path: [], message: 'expected an object' }] } };
      }
      const input = value as Record<string, unknown>;
      const data: Record<string, unknown> = { ...input };
      const issues: ResponseIssue[] = [];
      for (const [key, schema] of Object.entries(shape)) {
        const result = schema.safeParse(input[key]);
        if (result.success) data[key] = result.data;
        else
          for (const issue of result.error.issues)
            issues.push({ path: [key, ...issue.path], message: issue.message });
      }
      return issues.length > 0
        ? { success: false, error: { issues } }
        : { success: true, data: data as ShapeOutput<S> };
    },
  };
}
