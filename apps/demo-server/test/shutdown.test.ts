import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Area } from '../src/areas.js';
import { identityArea } from '../src/identity/area.js';
import { AUTH } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

describe('graceful shutdown', () => {
  it('finishes a request in flight, commits its write, then refuses new connections', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started: () => void = () => {};
    const inFlight = new Promise<void>((r) => {
      started = r;
    });
    const routes: FastifyPluginAsync = async (app) => {
      app.post('/rest/probe/slow', { config: { access: 'manager' } }, async () => {
        started();
        await gate;
        await app.ctx.db
          .updateTable('account')
          .set({ name: 'Renamed during shutdown' })
          .where('uuid', '=', '0a11ce00-0000-4000-8000-00000000ac01')
          .execute();
        return { success: true, payload: { done: true } };
      });
    };
    const area: Area = { name: 'probe', routes };
    const server = await startTestServer({ fastArgon2: true, areas: [identityArea, area] });
    const pending = fetch(`${server.url}/rest/probe/slow`, {
      method: 'POST',
      headers: { authorization: AUTH.alice, 'content-type': 'application/json' },
      body: '{}',
    });
    await inFlight;
    const closing = server.close();
    await new Promise((r) => setTimeout(r, 50));
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, payload: { done: true } });
    await closing;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
