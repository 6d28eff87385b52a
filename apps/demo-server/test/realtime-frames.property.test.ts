import { WS_CLOSE, WsServerMessageSchema } from '@callwire/types';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './helpers/test-server.js';
import { alice, TestSocket } from './realtime-helpers.js';

let server: RunningServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true });
  token = (await alice(server)).token;
});
afterAll(async () => {
  await server.close();
});

const TYPES = ['auth', 'authrequest', 'subscribe', 'unsubscribe', 'reauth', 'ping', 'event', 'x'];

/** Frames that look like protocol messages with every field possibly wrong, or not JSON at all. */
const frame = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .record(
      {
        type: fc.constantFrom(...TYPES),
        id: fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant(null)),
        types: fc.oneof(fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }), fc.string()),
        token: fc.oneof(fc.string(), fc.integer()),
        account_id: fc.oneof(fc.uuid(), fc.string()),
        after_seq: fc.oneof(fc.integer(), fc.double(), fc.string()),
        subscription: fc.oneof(fc.uuid(), fc.string()),
      },
      { requiredKeys: ['type'] },
    )
    .map((o) => JSON.stringify(o)),
);

describe('any frame after auth', () => {
  it('gets contract-shaped replies or a contract close code, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (frames) => {
        const socket = await TestSocket.authed(server, token);
        for (const f of frames) socket.send(f);
        socket.send({ type: 'ping', id: 'end' });
        const outcome = await Promise.race([
          socket.next('pong', 5000).then(() => 'open' as const),
          socket.closed.then((c) => c.code),
        ]);
        for (const reply of socket.frames) expect(WsServerMessageSchema.safeParse(reply).success).toBe(true);
        if (outcome !== 'open') {
          expect([WS_CLOSE.badMessage, WS_CLOSE.forbidden, WS_CLOSE.unauthenticated]).toContain(outcome);
        }
        socket.close();
      }),
      { numRuns: 60 },
    );
    // And the server is still fine.
    const check = await TestSocket.authed(server, token);
    check.send({ type: 'ping' });
    expect(await check.next('pong')).toEqual({ type: 'pong' });
    check.close();
  }, 60_000);
});
