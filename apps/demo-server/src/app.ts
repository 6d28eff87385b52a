import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { AREAS, type Area } from './areas.js';
import { AuthService, unauthenticated } from './auth/auth-service.js';
import { principalRef } from './auth/principal.js';
import type { ServerConfig } from './config.js';
import { createSignals, type ServerClock, type ServerContext } from './context.js';
import type { Storage } from './db/connect.js';
import { ApiError } from './http/api-error.js';
import { installErrorHandling } from './http/error-handler.js';
import './http/fastify-types.js';
import { bodyHash, IdempotencyStore, MAX_IDEMPOTENCY_KEY } from './http/idempotency.js';
import { coerceFormBody, installJsonParser } from './http/json-body.js';
import { loggerOptions } from './http/logger.js';
import { applyScope } from './http/scope.js';
import { registerSystemRoutes } from './routes/system.js';

export interface AppDeps {
  storage: Storage;
  clock?: ServerClock | undefined;
  /** Areas to mount; the default is every area of areas.ts. */
  areas?: readonly Area[];
  /** startServer options this core does not interpret; areas may read them from ctx.extra. */
  extra?: Record<string, unknown>;
}

/** The longest header line accepted (CONTRACT §1). */
const MAX_HEADER_LINE = 8 * 1024;
const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** Query parameters that would carry a token in a URL (CONTRACT §3: refused). */
const URL_TOKEN_PARAMS = ['jwt', 'bearer', 'token', 'access_token'];

export async function buildApp(
  config: ServerConfig,
  deps: AppDeps,
): Promise<{ app: FastifyInstance; ctx: ServerContext; idempotency: IdempotencyStore }> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    // Per-request lines only at debug/trace: at info the log is about the server, not every request.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    bodyLimit: config.bodyLimit,
    return503OnClosing: true,
    // Node answers 431 for header blocks larger than this; single lines are checked below.
    serverFactory: (handler) => createServer({ maxHeaderSize: 32 * 1024 }, handler),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built from typed objects already; a plain JSON.stringify keeps the hot routes fast
  // (the zod serializer re-validates every response). Response schemas still feed the OpenAPI document.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const clock = deps.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const signals = createSignals();
  const auth = new AuthService({
    db: deps.storage.db,
    config,
    now,
    signals,
    sharedDatabase: deps.storage.dialect === 'postgres',
  });
  const ctx: ServerContext = {
    config,
    db: deps.storage.db,
    dialect: deps.storage.dialect,
    storage: deps.storage,
    clock,
    now,
    logger: app.log,
    auth,
    signals,
    services: {},
    extra: deps.extra ?? {},
  };
  const idempotency = new IdempotencyStore(deps.storage.db, now, config.idempotencyTtlMs);
  app.decorate('ctx', ctx);
  app.decorateRequest('principal', null);
  app.decorateRequest('account', null);
  app.decorateRequest('idempotency', null);

  installErrorHandling(app);
  installJsonParser(app, config.maxJsonDepth);
  await app.register(formbody, {
    bodyLimit: config.bodyLimit,
    parser: (text: string) =>
      coerceFormBody(Object.fromEntries(new URLSearchParams(text))) as Record<string, unknown>,
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const raw = request.raw.rawHeaders;
    for (let i = 0; i < raw.length; i++) {
      if ((raw[i] as string).length > MAX_HEADER_LINE) {
        throw new ApiError('invalid_request', 'A header line is longer than 8 KiB', { status: 431 });
      }
    }
    const rest = request.url.startsWith('/rest');
    const mode = request.routeOptions.config.auth ?? (rest ? 'required' : 'none');
    if (rest) refuseTokensInUrl(request.query);
    if (mode === 'none') return;
    const authorization = request.headers.authorization;
    const xAuthToken = request.headers['x-auth-token'];
    if (Array.isArray(xAuthToken)) throw new ApiError('invalid_request', 'X-Auth-Token must be sent once');
    const principal = await auth.authenticate({
      authorization,
      xAuthToken,
      ip: request.ip,
      basicWins: request.routeOptions.config.basicWinsOverToken === true,
    });
    if (principal === undefined) {
      if (mode === 'required') throw unauthenticated();
      return;
    }
    auth.takeRate(principal);
    request.principal = principal;
  });

  app.addHook('preValidation', async (request, reply) => {
    const cfg = request.routeOptions.config;
    if (cfg.scoped === true || cfg.access !== undefined) applyScope(request, reply, config.accountScope);
    if (request.method !== 'POST') return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY) {
      throw new ApiError(
        'validation_failed',
        `Idempotency-Key must be 1..${MAX_IDEMPOTENCY_KEY} characters, sent once`,
        {
          fields: { 'header.idempotency-key': { message: `must be 1..${MAX_IDEMPOTENCY_KEY} characters` } },
        },
      );
    }
    const who = request.principal === null ? 'anonymous' : principalRef(request.principal);
    // The account is part of what is being asked: the same body under another account is another request.
    const hashValue = bodyHash(
      'POST',
      `${request.url.split('?')[0]} ${request.account?.id ?? ''}`,
      request.body,
    );
    const decision = await idempotency.begin(who, key, hashValue);
    if (decision.kind === 'replay') {
      for (const [name, value] of Object.entries(decision.headers)) reply.header(name, value);
      reply.header('idempotent-replayed', 'true');
      return reply.code(decision.status).send(decision.body);
    }
    request.idempotency = { principal: who, key };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const record = request.idempotency;
    if (record === null) return payload;
    request.idempotency = null;
    await idempotency.complete(
      record.principal,
      record.key,
      reply.statusCode,
      reply.getHeaders(),
      typeof payload === 'string' ? payload : '',
    );
    return payload;
  });

  app.addHook('onRequestAbort', async (request) => {
    const record = request.idempotency;
    if (record === null) return;
    request.idempotency = null;
    await idempotency.abandon(record.principal, record.key);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Callwire platform API',
        version: '1.0.0',
        description:
          'The Callwire platform (CONTRACT v1), served by the demo server. Authenticate with Basic (email:password), ' +
          'a session or API bearer token, or Integrator credentials; see /docs.',
      },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic' },
          bearer: { type: 'http', scheme: 'bearer' },
          xAuthToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' },
          integrator: {
            type: 'http',
            scheme: 'Integrator',
            description: 'Authorization: Integrator base64(app_key:secret)',
          },
        },
      },
      security: [{ basic: [] }, { bearer: [] }, { xAuthToken: [] }, { integrator: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  const areas = deps.areas ?? AREAS;
  for (const area of areas) await area.setup?.(ctx);
  await registerSystemRoutes(app, ctx);
  for (const area of areas) if (area.routes !== undefined) await app.register(area.routes);
  return { app, ctx, idempotency };
}

function refuseTokensInUrl(query: unknown): void {
  if (typeof query !== 'object' || query === null) return;
  for (const name of URL_TOKEN_PARAMS) {
    if (name in query) {
      throw new ApiError(
        'invalid_request',
        `Tokens in URLs are refused (query parameter "${name}"): send the token in the Authorization: Bearer or X-Auth-Token header`,
      );
    }
  }
}
