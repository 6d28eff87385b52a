import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiryWarning } from '../src/realtime/ports.js';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './helpers/test-server.js';
import { alice, TestSocket } from './realtime-helpers.js';

describe('token_expiring scales with the token lifetime', () => {
  let server: RunningServer;
  let offset = 0;
  beforeAll(async () => {
    server = await startTestServer({
      fastArgon2: true,
      tokenLifetime: 60,
      clock: { now: () => Date.now() + offset },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('warns a quarter of the lifetime ahead, at most the configured window', () => {
    expect(expiryWarning(60_000, 60_000)).toBe(15_000);
    expect(expiryWarning(3_600_000, 60_000)).toBe(60_000);
    expect(expiryWarning(-5, 60_000)).toBe(0);
  });

  it('does not warn a fresh 60 s token on arrival (clients would renew it in a loop)', async () => {
    offset = 0;
    const { token } = await alice(server);
    offset = 40_000; // 20 s left: outside the token's last quarter
    const socket = await TestSocket.authed(server, token);
    socket.send({ type: 'ping' });
    await socket.next('pong');
    expect(socket.frames.filter((frame) => frame.type === 'token_expiring')).toEqual([]);
    socket.close();
  });

  it('warns a 60 s token in its last 15 s', async () => {
    offset = 0;
    const { token, expiresOn } = await alice(server);
    offset = 45_500; // 14.5 s left
    const socket = await TestSocket.authed(server, token);
    expect(await socket.next('token_expiring')).toEqual({ type: 'token_expiring', expires_on: expiresOn });
    socket.close();
  });
});
