import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { AREAS, type Area } from './areas.js';
import { AuthService } from './auth/auth-service.js';
import type { ServerConfig } from './config.js';
import { createSignals, type ServerClock, type ServerContext } from './context.js';
import type { Storage } from './db/connect.js';
import { answerClientError } from './http/client-errors.js';
import { installCors } from './http/cors.js';
import { answerError, installErrorHandling } from './http/error-handler.js';
import './http/fastify-types.js';
import { IdempotencyStore } from './http/idempotency.js';
import { coerceFormBody, installJsonParser, withoutBom } from './http/json-body.js';
import { loggerOptions } from './http/logger.js';
import { OutboundHttp, type OutboundOptions } from './http/outbound.js';
import { NODE_MAX_HEADER_SIZE } from './http/request-limits.js';
import { installRouteHooks } from './http/route-hooks.js';
import { registerSystemRoutes } from './routes/system.js';
import { USER_AGENT } from './version.js';

export interface AppDeps {
  storage: Storage;
  clock?: ServerClock | undefined;
  /** Areas to mount; the default is every area of areas.ts. */
  areas?: readonly Area[];
  /** startServer options this core does not interpret; areas may read them from ctx.extra. */
  extra?: Record<string, unknown>;
  /** Where log lines go (default stdout); tests capture them here. */
  logStream?: { write(line: string): unknown } | undefined;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export async function buildApp(
  config: ServerConfig,
  deps: AppDeps,
): Promise<{ app: FastifyInstance; ctx: ServerContext; idempotency: IdempotencyStore }> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel, deps.logStream),
    // Per-request lines only at debug/trace: at info the log is about the server, not every request.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    bodyLimit: config.bodyLimit,
    // While shutting down, requests still arriving on open connections get the contract's 503
    // envelope from the route hooks instead of Fastify's own body.
    return503OnClosing: false,
    // Node's parser limit sits above the server's own head limits, so that most oversized heads are
    // answered with a precise code (414, 431) by the route hooks; larger ones by clientErrorHandler.
    serverFactory: (handler) => {
      const server = createServer({ maxHeaderSize: NODE_MAX_HEADER_SIZE }, handler);
      server.keepAliveTimeout = 72_000; // Fastify's own default, which a custom server does not get
      return server;
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors the router raises before any route (bad percent-encoding, over-long path segments).
    frameworkErrors: answerError,
    // Fastify calls it bound to the instance: requests Node's parser refused, in the envelope too.
    clientErrorHandler(this: FastifyInstance, error, socket) {
      answerClientError(this.log, error, socket);
    },
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
    outbound: new OutboundHttp({
      blockPrivateNetwork: config.blockPrivateNetwork,
      userAgent: USER_AGENT,
      // Tests stand in for DNS to show what a name resolving somewhere else later meets.
      resolve: deps.extra?.outboundResolve as OutboundOptions['resolve'],
    }),
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
      coerceFormBody(Object.fromEntries(new URLSearchParams(withoutBom(text)))) as Record<string, unknown>,
  });

  installRouteHooks(app, ctx, idempotency);
  installCors(app, config.corsOrigins);

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
