import { type ResponseIssue, ResponseValidationError } from './errors.js';
import type { ClientLogger } from './options.js';
import type { ResponseName, ResponseTypes, SchemaRef } from './responses.js';

/** The part of a zod schema the client uses; keeps zod out of this package's dependencies. */
export interface Schema<T> {
  /** Checks `value`: the parsed data, or the issues found. */
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly ResponseIssue[] } };
}

/** What to do with a response that does not match its schema: throw (`strict`) or log once per endpoint (`warn`). */
export type ValidationMode = 'strict' | 'warn';

/** One schema for every response the client knows. */
export type ResponseSchemas = { readonly [N in ResponseName]: Schema<ResponseTypes[N]> };

/**
 * Response validation for `createClient({ validate })`, made by `validateResponses()` from
 * `@callwire/rest-client/validation`: the mode and the schemas it checks with.
 */
export interface ResponseValidation {
  readonly mode: ValidationMode;
  readonly schemas: ResponseSchemas;
}

export interface Validator {
  check<T>(ref: SchemaRef<T> | undefined, value: unknown, endpoint: string, response: Response): T;
}

/** Passes every payload through: what a client without `validate` does. */
export const noValidation: Validator = {
  check: <T>(_ref: SchemaRef<T> | undefined, value: unknown) => value as T,
};

export function createValidator(validation: ResponseValidation, logger: ClientLogger): Validator {
  const { mode, schemas } = validation;
  // `warn` logs each endpoint once per client family: a drifting server must not flood the logs.
  const warned = new Set<string>();
  return {
    check<T>(ref: SchemaRef<T> | undefined, value: unknown, endpoint: string, response: Response): T {
      if (ref === undefined) return value as T;
      const result = (schemas[ref as ResponseName] as Schema<T>).safeParse(value);
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

function fail(message: string) {
  return { success: false as const, error: { issues: [{ path: [], message }] } };
}

/** An object schema from per-key schemas, for the few composite answers @callwire/types does not name. */
export function shapeOf<S extends Shape>(shape: S): Schema<ShapeOutput<S>> {
  return {
    safeParse(value: unknown) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return fail('expected an object');
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

/** An array schema from the schema of its items. */
export function arrayOf<T>(item: Schema<T>): Schema<T[]> {
  return {
    safeParse(value: unknown) {
      if (!Array.isArray(value)) return fail('expected an array');
      const data: T[] = [];
      const issues: ResponseIssue[] = [];
      value.forEach((element, index) => {
        const result = item.safeParse(element);
        if (result.success) data.push(result.data);
        else
          for (const issue of result.error.issues)
            issues.push({ path: [index, ...issue.path], message: issue.message });
      });
      return issues.length > 0 ? { success: false, error: { issues } } : { success: true, data };
    },
  };
}
