import type { OpenAPIV3_1 as OA } from 'openapi-types';
import {
  AUTH_STATUSES,
  errorResponse,
  FRAMEWORK_STATUSES,
  IDEMPOTENT_STATUSES,
  LOOKUP_STATUSES,
  type ResponseShape,
  responseHeaders,
  SCOPE_STATUSES,
  statusText,
} from './responses.js';

/** What the request pipeline does for a route (route-hooks.ts), as far as a client can see it. */
export interface RouteFacts {
  auth: 'required' | 'optional' | 'none';
  /** Runs under one account: `account_id` / `X-Account-Id` are read, `X-Account-Id` is answered. */
  scoped: boolean;
  /** The body may be left out entirely. */
  bodyOptional: boolean;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const SCHEMA_REF = '#/components/schemas/';

const param = (name: string): OA.ReferenceObject => ({ $ref: `#/components/parameters/${name}` });

function isRef(value: unknown): value is OA.ReferenceObject {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

/** `.nullish()` bodies come out as `anyOf: [body, null]`; "no body" is said by `required: false` instead. */
function withoutNull(schema: OA.SchemaObject | OA.ReferenceObject): OA.SchemaObject | OA.ReferenceObject {
  if (isRef(schema) || schema.anyOf === undefined) return schema;
  const branches = schema.anyOf.filter((b) => isRef(b) || b.type !== 'null');
  if (branches.length === schema.anyOf.length) return schema;
  return branches.length === 1 ? (branches[0] as OA.SchemaObject) : { ...schema, anyOf: branches };
}

/** A request body of an account-scoped operation may name the account (it is taken off before validation). */
export function addAccountId(schema: OA.SchemaObject | undefined): void {
  if (schema === undefined || schema.type !== 'object') return;
  schema.properties ??= {};
  schema.properties.account_id ??= {
    type: 'string',
    format: 'uuid',
    description: 'The account to act on (or the `account_id` query parameter, or `X-Account-Id`).',
  };
}

/** Lets the body name the account: on the shape itself, or on the named component it refers to. */
function allowAccountInBody(schema: OA.SchemaObject | OA.ReferenceObject, components: Set<string>): void {
  if (isRef(schema)) {
    if (schema.$ref.startsWith(SCHEMA_REF)) components.add(schema.$ref.slice(SCHEMA_REF.length));
    return;
  }
  for (const branch of schema.anyOf ?? schema.oneOf ?? []) allowAccountInBody(branch, components);
  addAccountId(schema);
}

function completeBody(op: OA.OperationObject, facts: RouteFacts, bodyComponents: Set<string>): void {
  const body = op.requestBody;
  if (body === undefined || isRef(body)) return;
  const json = body.content[JSON_TYPE]?.schema;
  if (json === undefined) return;
  const schema = withoutNull(json);
  if (facts.scoped) allowAccountInBody(schema, bodyComponents);
  // Form bodies carry the same fields (numbers and booleans as text, which the server converts).
  op.requestBody = {
    required: !facts.bodyOptional,
    content: { [JSON_TYPE]: { schema }, [FORM]: { schema } },
  };
}

function completeParameters(op: OA.OperationObject, method: string, facts: RouteFacts): void {
  const own = (op.parameters ?? []).filter((p) => isRef(p) || !(p.in === 'query' && p.name === 'account_id'));
  const added = [param('RequestId')];
  if (facts.scoped) added.push(param('AccountIdQuery'), param('AccountIdHeader'));
  if (method === 'post') added.push(param('IdempotencyKey'));
  op.parameters = [...own, ...added];
}

function completeResponses(op: OA.OperationObject, path: string, method: string, facts: RouteFacts): void {
  const shape: ResponseShape = { scoped: facts.scoped, idempotent: method === 'post' };
  const statuses = new Set(Object.keys(op.responses ?? {}));
  for (const s of FRAMEWORK_STATUSES) statuses.add(s);
  if (facts.auth !== 'none') for (const s of AUTH_STATUSES) statuses.add(s);
  if (facts.scoped) for (const s of SCOPE_STATUSES) statuses.add(s);
  if (method === 'post') for (const s of IDEMPOTENT_STATUSES) statuses.add(s);
  if (path.includes('{')) for (const s of LOOKUP_STATUSES) statuses.add(s);
  const responses: OA.ResponsesObject = {};
  for (const status of [...statuses].sort()) {
    if (Number(status) >= 400) {
      responses[status] = errorResponse(status);
      continue;
    }
    const declared = (op.responses?.[status] ?? {}) as OA.ResponseObject;
    const description =
      declared.description && declared.description !== 'Default Response'
        ? declared.description
        : statusText(status);
    responses[status] = { ...declared, description, headers: responseHeaders(status, shape) };
  }
  op.responses = responses;
}

/**
 * Completes one operation of the document with what every route of its kind does: the account
 * selection it accepts, the request and response headers, form bodies, and every status it can
 * answer (framework, authentication, scoping, idempotency and lookup errors included), each with
 * the error envelope. `bodyComponents` collects the named body shapes that must accept `account_id`.
 */
export function completeOperation(
  op: OA.OperationObject,
  path: string,
  method: string,
  facts: RouteFacts,
  bodyComponents: Set<string>,
): void {
  completeParameters(op, method, facts);
  completeBody(op, facts, bodyComponents);
  completeResponses(op, path, method, facts);
  if (facts.auth === 'none' && op.security === undefined) op.security = [];
}
