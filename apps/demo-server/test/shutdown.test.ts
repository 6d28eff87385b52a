import { connect } from 'node:net';
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

  it('answers a request that arrives on an open connection during shutdown with the 503 envelope', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started: () => void = () => {};
    const inFlight = new Promise<void>((r) => {
      started = r;
    });
    const routes: FastifyPluginAsync = async (app) => {
      app.get('/rest/probe/slow', async () => {
        started();
        await gate;
        return { success: true, payload: { done: true } };
      });
    };
    const server = await startTestServer({
      fastArgon2: true,
      areas: [identityArea, { name: 'probe', routes }],
    });
    // The connection stays busy with the slow request, so shutdown cannot reap it; a second request
    // on it arrives after the shutdown began.
    const socket = connect(server.port, server.host);
    let raw = '';
    socket.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    const ended = new Promise((resolve) => socket.on('close', resolve));
    socket.write(`GET /rest/probe/slow HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH.alice}\r\n\r\n`);
    await inFlight;
    const closing = server.close();
    // The listener closes once the shutdown hooks ran: from then on the server is shutting down.
    while (server.app.server.listening) await new Promise((r) => setImmediate(r));
    const secondSeen = new Promise<void>((resolve) =>
      server.app.server.on('request', (req) => {
        if (req.url === '/healthz') setImmediate(resolve);
      }),
    );
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await secondSeen;
    release();
    await closing;
    await ended;
    const second = raw.slice(raw.indexOf('HTTP/1.1', 1));
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    const requestId = /x-request-id: (\S+)/i.exec(second)?.[1];
    const body = JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ success: false, status: 503, code: 'unavailable', request_id: requestId });
  });
});
