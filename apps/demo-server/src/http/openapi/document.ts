import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { OpenAPIV3_1 as OA } from 'openapi-types';
import { z } from 'zod';
import { tidyComponents } from './components.js';
import { addAccountId, completeOperation, type RouteFacts } from './operation.js';
import { OPERATIONS } from './operations.js';
import { errorResponses, HEADERS } from './responses.js';
import { schemaNames } from './schema-names.js';
import { WEBHOOKS } from './webhooks.js';
import { WEBSOCKET_PROTOCOL } from './websocket-protocol.js';

const DESCRIPTION = `Voice, SMS and realtime events, served by the Callwire demo server.

Authenticate with one of: HTTP Basic (\`email:password\`); a session token from \`POST /rest/auth/login\` or an API token
from \`POST /rest/token\`, as \`Authorization: Bearer <token>\` or \`X-Auth-Token: <token>\`; or Integrator credentials,
\`Authorization: Integrator base64(app_key:secret)\`. Never put a token in a URL: such requests are refused.

Account-scoped operations run under one account. Name it with the \`account_id\` query parameter, the \`X-Account-Id\` header
or \`account_id\` in the body (any one; two different values are refused). Tokens act on the account they are bound to;
a user with one account needs not name it; a user with several, on Basic, gets 400 \`account_required\` with the list;
Integrators always name it. Every answer carries \`X-Request-Id\`, and scoped answers \`X-Account-Id\`.

Every POST takes an \`Idempotency-Key\` (1..255 characters): the same key and body within 24 h replays the first answer
with \`Idempotent-Replayed: true\`. Bodies are JSON or \`application/x-www-form-urlencoded\`; errors are always the
\`ErrorEnvelope\`. Events reach you live over the websocket (below) or as signed webhooks (see \`webhooks\`).

## Realtime events over a websocket

${WEBSOCKET_PROTOCOL}`;

const TAGS: OA.TagObject[] = [
  { name: 'auth', description: 'Sessions, tokens and the signed-in user' },
  { name: 'accounts', description: 'The accounts a caller may act on' },
  { name: 'tokens', description: 'Long-lived API tokens, bound to their user and account' },
  { name: 'account users', description: "An account's users and their access (account admins)" },
  { name: 'numbers', description: 'Phone numbers: search, buy, configure, release' },
  { name: 'messaging', description: 'SMS and messaging profiles' },
  { name: 'calls', description: 'Calls, bulk calls, click-to-call and reports' },
  { name: 'sip', description: 'SIP connections, domains and users' },
  { name: 'events', description: 'The event log, subscriptions and webhook deliveries' },
  { name: 'simulator', description: 'Inbound calls and SMS on the simulated network (demo server only)' },
];

const SECURITY_SCHEMES: Record<string, OA.SecuritySchemeObject> = {
  basic: { type: 'http', scheme: 'basic', description: 'E-mail and password (RFC 7617, UTF-8).' },
  bearer: { type: 'http', scheme: 'bearer', description: 'A session token or an API token.' },
  xAuthToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Auth-Token',
    description: 'The same tokens as `bearer`.',
  },
  // `Integrator` is not a registered HTTP authentication scheme, so `type: http` with it is refused by
  // validating gateways and ignored by generators. As an API key in the Authorization header every tool
  // sends and checks it, and the value carries the scheme word itself.
  integrator: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'Integrator app credentials: the whole header value is `Integrator base64(app_key:secret)`. Integrators act with manager access on linked accounts and always name the account.',
  },
};

const PARAMETERS: Record<string, OA.ParameterObject> = {
  AccountIdQuery: {
    name: 'account_id',
    in: 'query',
    required: false,
    description: 'The account to act on (or `X-Account-Id`, or `account_id` in the body).',
    schema: { type: 'string', format: 'uuid' },
  },
  AccountIdHeader: {
    name: 'X-Account-Id',
    in: 'header',
    required: false,
    description: 'The account to act on (or the `account_id` query parameter or body field).',
    schema: { type: 'string', format: 'uuid' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Makes a retry safe: the same key and body within 24 h replays the first answer.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  RequestId: {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description:
      'Your id for this request (1..128 of `A-Za-z0-9_.:-`), echoed in `X-Request-Id` and `request_id`.',
    schema: { type: 'string', pattern: '^[\\w.:-]{1,128}$' },
  },
};

/**
 * The id of an operation neither the route nor the table names (routes that tests or embedders
 * add): the method and the path's words, `POST /rest/probe/{uuid}` → `postProbeByUuid`.
 */
function derivedOperationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((w) => w !== '' && w !== 'rest')
    .map((w) => (w.startsWith('{') ? `By${w.slice(1, -1)}` : w))
    .map((w) => w.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()))
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return method.toLowerCase() + words.join('');
}

function openapiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

/**
 * The `@fastify/swagger` options of the server's OpenAPI 3.1 document. Route schemas are converted
 * by the zod provider with {@link schemaNames} (named components); then every operation is
 * completed from what the request pipeline does for its route (see operation.ts), and the
 * components are tidied. The result depends only on the registered routes, so it is the same on
 * every start.
 */
export function openapiOptions(): FastifyDynamicSwaggerOptions {
  const registry = schemaNames();
  const toJson = createJsonSchemaTransform({ schemaRegistry: registry });
  // Parameters are spelled out, never referred to: each becomes its own parameter object.
  const toInlineJson = createJsonSchemaTransform({ schemaRegistry: z.registry<{ id: string }>() });
  const withComponents = createJsonSchemaTransformObject({ schemaRegistry: registry });
  const facts = new Map<string, RouteFacts>();

  return {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Callwire platform API', version: '1.0.0', description: DESCRIPTION },
      servers: [
        { url: '/', description: 'The server that serves this document' },
        { url: 'http://127.0.0.1:8787', description: 'The demo server on its default address' },
      ],
      tags: TAGS,
      components: { securitySchemes: SECURITY_SCHEMES },
      security: [{ basic: [] }, { bearer: [] }, { xAuthToken: [] }, { integrator: [] }],
    },
    transform(input) {
      const { querystring, params, headers, ...rest } = (input.schema ?? {}) as Record<string, unknown>;
      const out = toJson({ ...input, schema: rest });
      const schema = out.schema as Record<string, unknown> & { hide?: boolean };
      if (schema?.hide === true) return out;
      Object.assign(schema, toInlineJson({ ...input, schema: { querystring, params, headers } }).schema);
      const route = input.route as RouteOptions;
      const path = openapiPath(out.url);
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
        (m) => m !== 'HEAD',
      );
      const body = (input.schema as { body?: z.ZodType } | undefined)?.body;
      for (const method of methods) {
        const key = `${method} ${path}`;
        // A route may name its operation itself; the table names the server's own routes.
        const own = typeof schema.operationId === 'string' ? ([schema.operationId, ''] as const) : undefined;
        const named = own ?? OPERATIONS[key] ?? ([derivedOperationId(method, path), ''] as const);
        const cfg = route.config ?? {};
        facts.set(key, {
          auth: cfg.auth ?? (route.url.startsWith('/rest') ? 'required' : 'none'),
          scoped: cfg.scoped === true || cfg.access !== undefined,
          bodyOptional: body?.safeParse(undefined).success === true,
        });
        schema.operationId = named[0];
        if (named[1] !== '') schema.summary ??= named[1];
      }
      return out;
    },
    transformObject(input) {
      const doc = withComponents(input) as OA.Document;
      const bodyComponents = new Set<string>();
      for (const [path, item] of Object.entries(doc.paths ?? {})) {
        for (const [method, op] of Object.entries(item ?? {})) {
          const fact = facts.get(`${method.toUpperCase()} ${path}`);
          if (fact !== undefined)
            completeOperation(op as OA.OperationObject, path, method, fact, bodyComponents);
        }
      }
      const schemas = doc.components?.schemas ?? {};
      for (const name of bodyComponents) addAccountId(schemas[name]);
      doc.components = {
        ...doc.components,
        parameters: PARAMETERS,
        headers: HEADERS,
        responses: errorResponses(),
      };
      doc.webhooks = WEBHOOKS as OA.Document['webhooks'];
      return tidyComponents(doc) as ReturnType<NonNullable<FastifyDynamicSwaggerOptions['transformObject']>>;
    },
  };
}
