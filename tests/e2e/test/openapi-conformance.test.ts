import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadRun } from './helpers/conformance-traffic.js';
import { ConformanceRun } from './helpers/openapi-conformance.js';
import { type RestServer, startRestServer } from './helpers/rest-server.js';

let server: RestServer;
let run: ConformanceRun;

beforeAll(async () => {
  // Fast simulated network: calls ring for 20 ms; every event type happens within the run.
  // This run checks its own traffic, so the proxy of the other suites would only repeat it.
  server = await startRestServer({ simSpeed: 100 }, { validating: false });
  run = await ConformanceRun.start(server.url);
});
afterAll(async () => {
  await server?.close();
});

describe('the API as an independent OpenAPI validator sees it', () => {
  it('answers a broad run (every operation, every door, valid and invalid input) exactly as the document says', {
    timeout: 60_000,
  }, async () => {
    await broadRun(run);

    expect(run.violations).toEqual([]);
    const operations = run.operations().map((op) => op.operationId);
    const unexercised = operations.filter((id) => ![...(run.seen.get(id) ?? [])].some((s) => s < 300));
    expect(unexercised, 'operations without a successful call').toEqual([]);
    const neverRefused = operations.filter((id) => ![...(run.seen.get(id) ?? [])].some((s) => s >= 400));
    expect(neverRefused, 'operations without a refused call').toEqual([]);
    expect([...run.doors].sort()).toEqual(['basic', 'bearer', 'integrator', 'none', 'x-auth-token']);
    expect(run.requests).toBeGreaterThan(150);
    const statuses = new Set([...run.seen.values()].flatMap((s) => [...s]));
    expect([...statuses].sort()).toEqual(
      expect.arrayContaining([200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 415, 429, 431]),
    );
  });
});
