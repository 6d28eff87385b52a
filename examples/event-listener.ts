// An event listener that picks up where it stopped. The realtime client keeps, per subscription key,
// the seq of the last event every handler finished with; with a file cursor store that survives a
// restart, so events that happened while the listener was down are replayed on the next start, and
// events already handled are not handled again.
//
//   npx @callwire/demo-server          # in another terminal
//   node event-listener.ts             # Ctrl-C, send an SMS (callwire sms send …), start it again
import { createSessionAuth } from '@callwire/auth-core';
import { type CursorStore, createRealtimeClient } from '@callwire/realtime-client';
import type { CallwireEvent } from '@callwire/types';
import { readJsonFile, writeJsonFile } from './json-file.ts';

/** A CursorStore in one JSON file: `{ "<subscription key>": <seq> }`. */
export function fileCursorStore(path: string): CursorStore {
  return {
    get: (key) => readJsonFile<Record<string, number>>(path, {})[key],
    set: (key, seq) => writeJsonFile(path, { ...readJsonFile<Record<string, number>>(path, {}), [key]: seq }),
  };
}

export interface EventListenerOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** Where the cursor is kept between runs. */
  cursorFile: string;
  /** Stops the listener; the cursor of every handled event is saved before it resolves. */
  signal: AbortSignal;
  /** Called once the subscription is live (events from now on reach the handler). */
  onReady?: () => void;
  /** What to do with each event; the cursor moves past an event once this settles. */
  onEvent?: (event: CallwireEvent) => void | Promise<void>;
}

export async function listen(options: EventListenerOptions): Promise<void> {
  const { baseUrl, username, password, cursorFile, signal } = options;
  const onEvent =
    options.onEvent ?? ((e) => console.log(`#${e.seq} ${e.type} ${JSON.stringify(e.payload).slice(0, 80)}`));
  const auth = createSessionAuth({ baseUrl, username, password });
  const client = createRealtimeClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/ws`,
    auth,
    cursorStore: fileCursorStore(cursorFile),
  });
  try {
    // The key names the cursor: the same key on the next start resumes after it.
    client.on('sms.*', onEvent);
    client.on('call.*', onEvent);
    await client.subscribe(['sms.*', 'call.*'], { key: 'event-listener' }).ready;
    options.onReady?.();
    if (!signal.aborted)
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    await client.close(); // waits for the last cursor write
    await auth.logout();
  }
}

if (import.meta.main) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  await listen({
    baseUrl: process.env.CALLWIRE_BASE_URL ?? 'http://127.0.0.1:8787',
    username: process.env.CALLWIRE_USERNAME ?? 'alice@example.com',
    password: process.env.CALLWIRE_PASSWORD ?? 'alice-pass-1',
    cursorFile: process.env.CALLWIRE_CURSOR_FILE ?? '.callwire-cursor.json',
    signal: controller.signal,
    onReady: () => console.log('Listening for sms.* and call.* events; Ctrl-C stops'),
  });
}
