import { createServer } from 'node:http';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { AREAS, type Area, type MountedArea, mountAreas } from './areas.js';
import type { ServerConfig } from './config.js';
import { type AreaTuning, createSignals, type ServerClock, type ServerContext } from './context.js';
import type { Storage } from './db/connect.js';
import { answerClientError } from './http/client-errors.js';
import { CorsPolicy, installPreflight } from './http/cors.js';
import { answerError, installErrorHandling } from './http/error-handler.js';
import { CredentialStore } from './identity/credential-store.js';
import { CredentialVerifier } from './identity/credentials.js';
import './http/fastify-types.js';
import { IdempotencyKeys } from './http/idempotency.js';
import { IdempotencyStore } from './http/idempotency-store.js';
import { coerceFormBody, installJsonParser, withoutBom } from './http/json-body.js';
import { loggerOptions } from './http/logger.js';
import { installDeclaredStatusCheck } from './http/openapi/declared-statuses.js';
import { openapiOptions } from './http/openapi/document.js';
import { OutboundHttp, type OutboundOptions } from './http/outbound.js';
import { RequestIds } from './http/request-id.js';
import { NODE_MAX_HEADER_SIZE } from './http/request-limits.js';
import { requestLoggerFactory } from './http/request-logger.js';
import { installRouteHooks } from './http/route-hooks.js';
import { registerSystemRoutes } from './routes/system.js';
import { USER_AGENT } from './version.js';

export interface AppDeps {
  storage: Storage;
  clock?: ServerClock | undefined;
  /** Areas to mount; the default is every area of areas.ts. */
  areas?: readonly Area[];
  /** Each area's tuning (tests and benches). @default every area's defaults */
  tuning?: AreaTuning;
  /** Answer 500 for a status the OpenAPI document does not declare for the route. @default false */
  strictResponses?: boolean;
  /** Stands in for DNS on outbound requests. @default DNS */
  outboundResolve?: OutboundOptions['resolve'] | undefined;
  /** Where log lines go (default stdout); tests capture them here. */
  logStream?: { write(line: string): unknown } | undefined;
}

export async function buildApp(
  config: ServerConfig,
  deps: AppDeps,
): Promise<{
  app: FastifyInstance;
  ctx: ServerContext;
  idempotency: IdempotencyKeys;
  /** The areas as set up for this server, in mounting order. */
  mounted: MountedArea[];
}> {
  const requestIds = new RequestIds();
  const requestLines = config.logLevel === 'debug' || config.logLevel === 'trace';
  const app = Fastify({
    logger: loggerOptions(config.logLevel, deps.logStream),
    // Per-request lines only at debug/trace: at info the log is about the server, not every request.
    logController: new LogController({ disableRequestLogging: !requestLines }),
    // Without a logger (silent) Fastify hands every request its null logger, unless a factory is
    // given: then it calls the factory and validates what it returns, on every request.
    ...(config.logLevel === 'silent' ? {} : { childLoggerFactory: requestLoggerFactory(requestLines) }),
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
    genReqId: requestIds.forRequest,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors the router raises before any route (bad percent-encoding, over-long path segments).
    frameworkErrors: answerError,
    // Fastify calls it bound to the instance: requests Node's parser refused, in the envelope too.
    clientErrorHandler(this: FastifyInstance, error, socket) {
      answerClientError(this.log, error, socket, requestIds);
    },
  });

  app.setValidatorCompiler(validatorCompiler);
  // Responses are built from typed objects already; a plain JSON.stringify keeps the hot routes fast
  // (the zod serializer re-validates every response). Response schemas still feed the OpenAPI document.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const clock = deps.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const signals = createSignals();
  const auth = new CredentialVerifier({
    store: new CredentialStore(deps.storage.db),
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
      resolve: deps.outboundResolve,
    }),
    services: {},
    tuning: deps.tuning ?? { events: {}, telephony: {} },
  };
  const idempotency = new IdempotencyKeys(
    new IdempotencyStore(deps.storage.db),
    now,
    config.idempotencyTtlMs,
  );
  app.decorate('ctx', ctx);
  app.decorateRequest('principal', null);
  app.decorateRequest('account', null);
  app.decorateRequest('idempotency', null);

  const cors = new CorsPolicy(config.corsOrigins);
  installErrorHandling(app, cors);
  installJsonParser(app, config.maxJsonDepth);
  await app.register(formbody, {
    bodyLimit: config.bodyLimit,
    parser: (text: string) =>
      coerceFormBody(Object.fromEntries(new URLSearchParams(withoutBom(text)))) as Record<string, unknown>,
  });

  installRouteHooks(app, ctx, idempotency, cors);
  installPreflight(app, cors);

  await app.register(swagger, openapiOptions());
  if (deps.strictResponses === true) installDeclaredStatusCheck(app);
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  const areas = deps.areas ?? AREAS;
  const mounted = await mountAreas(ctx, areas);
  await registerSystemRoutes(app, ctx);
  for (const area of mounted) if (area.routes !== undefined) await app.register(area.routes);
  return { app, ctx, idempotency, mounted };
}
