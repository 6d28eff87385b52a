import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTimers } from './helpers/fake-timers.js';
import { ScriptedServer, until } from './helpers/scripted-server.js';
import { type Harness, makeClient } from './helpers/setup.js';

let server: ScriptedServer;
let h: Harness | undefined;

beforeEach(async () => {
  server = await ScriptedServer.start();
});
afterEach(async () => {
  h?.client.dispose();
  await server.stop();
});

const tokensSent = () => server.frames('auth').map((f) => f.token);

describe('tokens and close codes', () => {
  it('4401 → refreshes once and reconnects with the new token, never the refused one', async () => {
    server.expired.add('t1');
    h = makeClient(server);
    await h.client.connect();
    expect(tokensSent()).toEqual(['t1', 't2']);
    expect(h.auth.refreshCalls).toEqual(['t1']);
    expect(h.client.state).toBe('open');
  });

  it('4401 at expiry of a live connection: refresh, reconnect, resume without loss', async () => {
    h = makeClient(server);
    const seen: number[] = [];
    h.client.on('*', (e) => {
      seen.push(e.seq);
    });
    await h.client.subscribe(['*']).ready;
    server.publish(3);
    await until(() => seen.length === 3, 'three');
    server.expired.add('t1');
    server.closeAll(4401, 'token expired');
    server.publish(3);
    await until(() => seen.length === 6, 'six');
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tokensSent()).toEqual(['t1', 't2']);
  });

  it('a second 4401 in a row stops with an AuthenticationError', async () => {
    server.expired.add('t1');
    server.expired.add('t2');
    h = makeClient(server);
    await expect(h.client.connect()).rejects.toMatchObject({
      name: 'AuthenticationError',
      code: 'token_expired',
    });
    expect(h.client.state).toBe('closed');
    await new Promise((r) => setTimeout(r, 50));
    expect(tokensSent()).toEqual(['t1', 't2']);
  });

  it('a strategy that cannot renew never reconnects with the refused token', async () => {
    server.expired.add('t1');
    h = makeClient(server);
    h.auth.renewable = false;
    await expect(h.client.connect()).rejects.toMatchObject({ name: 'AuthenticationError' });
    await new Promise((r) => setTimeout(r, 50));
    expect(tokensSent()).toEqual(['t1']);
  });

  it('4403 stops for good with a PermissionError, ending iterators and subscriptions', async () => {
    server.forbidden.add('t1');
    h = makeClient(server);
    const sub = h.client.subscribe(['*']);
    const iterator = h.client.events();
    const next = iterator.next();
    await expect(sub.ready).rejects.toMatchObject({ name: 'PermissionError', code: 'api_access_disabled' });
    await expect(next).rejects.toMatchObject({ name: 'PermissionError' });
    expect(h.client.state).toBe('closed');
    expect(h.errors).toHaveLength(1);
    await expect(h.client.connect()).rejects.toMatchObject({ name: 'PermissionError' });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.connections).toHaveLength(1);
  });

  it('an error frame explaining a 4403 close is reported once, as the PermissionError', async () => {
    h = makeClient(server);
    await h.client.connect();
    const c = server.open[0]!;
    c.send({ type: 'error', code: 'api_access_disabled', message: 'API access was switched off' });
    c.socket.close(4403, 'api access disabled');
    await until(() => h!.client.state === 'closed', 'closed');
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toMatchObject({ name: 'PermissionError', code: 'api_access_disabled' });
  });

  it('token_expiring → reauth with a renewed token on the same socket (a fresh token waits 5 s first)', async () => {
    const timers = new FakeTimers();
    h = makeClient(server, { timers });
    await h.client.connect();
    server.open[0]!.send({ type: 'token_expiring', expires_on: new Date(Date.now() + 60_000).toISOString() });
    await new Promise((r) => setTimeout(r, 30));
    // Renewing a token accepted a moment ago would loop when lifetimes are under the warning window.
    expect(server.frames('reauth')).toHaveLength(0);
    timers.advance(5_000);
    await until(() => server.frames('reauth').length === 1, 'reauth frame');
    expect(server.frames('reauth')[0]).toEqual({ type: 'reauth', token: 't2' });
    expect(h.auth.refreshCalls).toEqual(['t1']);
    expect(server.connections).toHaveLength(1);
    // A reconnect after the reauth uses the renewed token.
    server.dropAll();
    await until(() => {
      timers.advance(0); // the retry timer (backoff 0) runs on the fake clock
      return tokensSent().length === 2 && h!.client.state === 'open';
    }, 'reconnected');
    expect(tokensSent()).toEqual(['t1', 't2']);
  });

  it('a token_expiring for a token older than 5 s renews at once', async () => {
    const timers = new FakeTimers();
    h = makeClient(server, { timers });
    await h.client.connect();
    timers.advance(6_000);
    server.open[0]!.send({ type: 'token_expiring', expires_on: new Date(Date.now() + 60_000).toISOString() });
    await until(() => server.frames('reauth').length === 1, 'reauth frame');
  });

  it('reauths by its own timer before expiry, on the local clock when the strategy exposes its session', async () => {
    const timers = new FakeTimers();
    h = makeClient(server, { timers });
    const expiresAt = timers.now() + 120_000;
    Object.assign(h.auth, { session: () => ({ token: h!.auth.token_, expiresAt }) });
    await h.client.connect();
    // Walk the clock in steps so pongs (real network) keep the link alive meanwhile.
    for (let t = 0; t < 59_000; t += 5_000) {
      timers.advance(Math.min(5_000, 59_000 - t));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(server.frames('reauth')).toHaveLength(0);
    timers.advance(1_000);
    await until(() => server.frames('reauth').length === 1, 'reauth by timer');
    expect(server.frames('reauth')[0]).toEqual({ type: 'reauth', token: 't2' });
  });

  it('hands a token renewed elsewhere (onChange) to the live socket', async () => {
    h = makeClient(server);
    await h.client.connect();
    h.auth.current = 5;
    for (const listener of h.auth.listeners) {
      listener({ reason: 'refresh', kind: 'session', accountId: undefined, session: undefined });
    }
    await until(() => server.frames('reauth').length === 1, 'reauth');
    expect(server.frames('reauth')[0]).toEqual({ type: 'reauth', token: 't5' });
    expect(h.auth.refreshCalls).toEqual([]);
  });
});
