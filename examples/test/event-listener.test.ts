import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBasicAuth } from '@callwire/auth-core';
import type { RunningServer } from '@callwire/demo-server';
import { createClient } from '@callwire/rest-client';
import type { CallwireEvent } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../event-listener.ts';
import { ALICE, startDemoServer } from './demo-server.ts';

let server: RunningServer;
let dir: string;
beforeAll(async () => {
  server = await startDemoServer();
  dir = mkdtempSync(join(tmpdir(), 'callwire-cursor-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the listener until it has handled the sms.created of the SMS that `sendWhenReady` sends (or of `uuid`). */
async function runUntilCreated(cursorFile: string, sendWhenReady?: () => Promise<string>, uuid?: string) {
  const seen: CallwireEvent[] = [];
  const controller = new AbortController();
  let target = uuid;
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const running = listen({
    baseUrl: server.url,
    ...ALICE,
    cursorFile,
    signal: controller.signal,
    onReady: ready,
    onEvent: (event) => {
      seen.push(event);
      stopOnceSeen();
    },
  });
  // The event may arrive before the send's own response: check on both sides.
  const stopOnceSeen = () => {
    if (seen.some((e) => e.type === 'sms.created' && e.payload.uuid === target)) controller.abort();
  };
  await isReady;
  if (sendWhenReady !== undefined) target = await sendWhenReady();
  stopOnceSeen();
  await running;
  return seen;
}

describe('event-listener example', () => {
  it('resumes after a restart: replays what happened while it was down, nothing it already handled', async () => {
    const cursorFile = join(dir, 'cursor.json');
    const client = createClient({
      baseUrl: server.url,
      auth: createBasicAuth({ baseUrl: server.url, ...ALICE }),
    });
    const [number] = await client.numbers.list({ sms: true }).toArray({ limit: 1 });
    const send = async (message: string) =>
      (await client.sms.send({ from: number?.tn ?? '', to: '+12015550123', message })).uuid;

    const firstRun = await runUntilCreated(cursorFile, () => send('before the restart'));
    const handledSeq = Math.max(...firstRun.map((e) => e.seq));

    // Sent while no listener runs.
    const whileDown = await send('while the listener was down');

    const secondRun = await runUntilCreated(cursorFile, undefined, whileDown);
    expect(secondRun.some((e) => e.type === 'sms.created' && e.payload.uuid === whileDown)).toBe(true);
    expect(secondRun.every((e) => e.seq > handledSeq)).toBe(true);
  });
});
