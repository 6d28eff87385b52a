import { type AuthChange, createSessionAuth } from '@callwire/auth-core';
import { createRealtimeClient, type RealtimeTimers } from '@callwire/realtime-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ACME, ALICE, type RealtimeServer, startRealtimeServer, until } from './realtime-harness.js';

let server: RealtimeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The client's (and its session's) clock, moved by hand; the server keeps real time. */
class ManualTimers implements RealtimeTimers {
  #now = Date.now();
  #next = 0;
  readonly #due = new Map<number, { at: number; run: () => void }>();
  now(): number {
    return this.#now;
  }
  setTimeout(run: () => void, ms: number): unknown {
    this.#next += 1;
    this.#due.set(this.#next, { at: this.#now + ms, run });
    return this.#next;
  }
  clearTimeout(handle: unknown): void {
    this.#due.delete(handle as number);
  }
  advance(ms: number): void {
    this.#now += ms;
    for (const [id, timer] of [...this.#due].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.#now || !this.#due.delete(id)) continue;
      timer.run();
    }
  }
}

describe('realtime-client token renewal against the demo-server', () => {
  it('a 60 s token is renewed on the socket about once per half-life, never in a loop', async () => {
    server = await startRealtimeServer({ tokenLifetime: 60 });
    const timers = new ManualTimers();
    const auth = createSessionAuth({ ...ALICE, baseUrl: server.url, clock: () => timers.now() });
    const renewals: AuthChange[] = [];
    auth.onChange((change) => {
      if (change.reason === 'refresh') renewals.push(change);
    });
    const client = createRealtimeClient({ url: server.wsUrl, auth, timers });
    const errors: unknown[] = [];
    client.onError((error) => errors.push(error));
    // The subscribe is answered after anything the server sends on auth (a `token_expiring` included).
    await client.subscribe(['call.*'], { accountId: ACME }).ready;
    const renewedBy = async (seconds: number) => {
      // One second of client time per step, with a real pause for the socket (pongs, reauth answers).
      for (let s = 0; s < seconds; s++) {
        timers.advance(1_000);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return renewals.length;
    };
    expect(await renewedBy(25)).toBe(0);
    await renewedBy(10);
    await until(() => renewals.length === 1, 'the first renewal, at half the lifetime');
    // 72 s in all: the second token is renewed at its own half-life (60 s), and nothing else.
    expect(await renewedBy(37)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(renewals).toHaveLength(2);
    expect(client.metrics().connects).toBe(1);
    expect(errors).toEqual([]);
    client.dispose();
    auth.dispose();
  }, 30_000);
});
