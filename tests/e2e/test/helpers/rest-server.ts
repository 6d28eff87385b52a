import type { AddressInfo } from 'node:net';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { createBasicAuth, createSessionAuth, type FetchLike } from '@callwire/auth-core';
import {
  DEMO_ACCOUNTS,
  type RunningServer,
  type StartServerOptions,
  startServer,
} from '@callwire/demo-server';
import { type ClientOptions, createClient } from '@callwire/rest-client';
import { validateResponses } from '@callwire/rest-client/validation';
import { ConformanceRun } from './openapi-conformance.js';
import { startValidatingProxy } from './validating-proxy.js';

export const ACME = DEMO_ACCOUNTS.acme.uuid;
export const BAYSIDE = DEMO_ACCOUNTS.bayside.uuid;
export const ALICE = { username: 'alice@example.com', password: 'alice-pass-1' };
export const BOB = { username: 'bob@example.com', password: 'bob-pass-1' };
export const DAVE = { username: 'dave@example.com', password: 'dave-pass-1' };

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

export interface RestServer extends RunningServer {
  /** Every request the HTTP server received, in order (seen before Fastify routes it). */
  seen: SeenRequest[];
  /** The OpenAPI validator every exchange through `url` passes (see below). */
  conformance: ConformanceRun;
}

/**
 * The real demo-server, in process, on port 0, with its embedded database and the demo data.
 * `url` is a validating proxy in front of it: every exchange of the suite is checked against the
 * server's /openapi.json by an independent validator, and `close()` fails with the violations, so
 * every REST suite is a conformance run too. (`port` is the server's own.)
 */
export async function startRestServer(
  options: StartServerOptions = {},
  /** `validating: false` talks to the server directly (for a test that measures its own concurrency). @default true */
  { validating = true } = {},
): Promise<RestServer> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    memory: true,
    seed: true,
    logLevel: 'silent',
    unsafeTestArgon2: { memoryKiB: 256, passes: 1, parallelism: 1 },
    // Every answer is checked against the OpenAPI document, every event against the contract.
    strictResponses: true,
    strictEvents: true,
    ...options,
  });
  const seen: SeenRequest[] = [];
  // A second 'request' listener only records; Fastify's own listener answers.
  server.app.server.on('request', (req) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, at: performance.now() });
  });
  const conformance = await ConformanceRun.start(server.url, { checkDocument: false });
  if (!validating) return Object.assign(server, { seen, conformance });
  const proxy = await startValidatingProxy(conformance, server);
  const closeServer = server.close.bind(server);
  const close = async () => {
    await proxy.close();
    await closeServer();
    if (conformance.checkRecorded().length > 0) {
      throw new Error(`The traffic broke the OpenAPI document:\n${conformance.violations.join('\n')}`);
    }
  };
  return Object.assign(server, { seen, conformance, url: proxy.url, close });
}

export function basicClient(
  server: { url: string },
  user: { username: string; password: string },
  extra: Partial<ClientOptions> = {},
) {
  const auth = createBasicAuth({ ...user, baseUrl: server.url });
  return createClient({ baseUrl: server.url, auth, validate: validateResponses('strict'), ...extra });
}

export function sessionClient(
  server: { url: string },
  user: { username: string; password: string },
  extra: Partial<ClientOptions> & { clock?: () => number; fetch?: FetchLike } = {},
) {
  const { clock, ...rest } = extra;
  const auth = createSessionAuth({
    ...user,
    baseUrl: server.url,
    ...(clock === undefined ? {} : { clock }),
    ...(rest.fetch === undefined ? {} : { fetch: rest.fetch }),
  });
  return createClient({ baseUrl: server.url, auth, validate: validateResponses('strict'), ...rest });
}

/**
 * A TCP proxy in front of the server that can drop a connection after the server has answered a
 * matching request, before the client reads the answer: the server acted, the client saw a reset.
 */
export async function startDroppingProxy(target: { port: number }) {
  const state = { armed: undefined as string | undefined, dropped: 0 };
  const sockets = new Set<Socket>();
  const proxy = createTcpServer((client) => {
    const upstream = connect(target.port, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    let dropNext = false;
    client.on('data', (chunk) => {
      if (state.armed !== undefined && chunk.toString('latin1').startsWith(state.armed)) {
        state.armed = undefined;
        dropNext = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (dropNext) {
        dropNext = false;
        state.dropped += 1;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    /** Drop the connection of the next request whose first bytes start with this (`POST /rest/sms `). */
    dropAfterAnswer(requestLineStart: string) {
      state.armed = requestLineStart;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
