import type { UnknownEvent } from '@callwire/types';
import type { Context } from '../context.js';
import { redact } from '../output/redact.js';
import type { CliSession } from '../session.js';

export interface EventStreamOptions {
  types: string[];
  /** Replay retained events with a greater seq first (lossless resume); undefined = live from now. */
  afterSeq: number | undefined;
  signal: AbortSignal;
  /** Called once the server accepted the subscription (events from here on are not missed). */
  onReady?: (info: { lastSeq: number; recovered: boolean }) => void;
}

/** `http://host:8787` → `ws://host:8787/ws`. */
export function websocketUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  return url.toString();
}

/**
 * Live events of one account over @callwire/realtime-client, as an async iterable. The client
 * authenticates with the account-bound strategy, replays after `afterSeq`, resumes after reconnects
 * without loss or duplicates, and backfills gaps over REST. An event of a type this version does not
 * know is still yielded (from `onUnknown`), so a newer server's events are not silently dropped.
 */
export async function* streamEvents(
  ctx: Context,
  session: CliSession,
  accountId: string,
  options: EventStreamOptions,
): AsyncGenerator<UnknownEvent> {
  const { createRealtimeClient } = await import('@callwire/realtime-client');
  const debug = (level: string) => (message: string, data?: Record<string, unknown>) => {
    if (!ctx.options.debug) return;
    const detail = data === undefined ? '' : ` ${JSON.stringify(data)}`;
    ctx.io.stderr.write(
      `${ctx.output.err.dim(`* realtime ${level}: ${redact(message + detail, ctx.secrets)}`)}\n`,
    );
  };
  const client = createRealtimeClient({
    url: websocketUrl(ctx.settings.baseUrl),
    baseUrl: ctx.settings.baseUrl,
    auth: session.auth.forAccount(accountId),
    accountId,
    ...(ctx.io.fetch ? { fetch: ctx.io.fetch } : {}),
    logger: { debug: debug('debug'), info: debug('info'), warn: debug('warn'), error: debug('error') },
  });
  const unknown: UnknownEvent[] = [];
  client.onUnknown((notice) => unknown.push(notice.event));
  // A refused subscription (forbidden account, bad pattern) ends the stream and becomes the error.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) stop.abort();
  let refused: unknown;
  try {
    const subscription = client.subscribe(options.types, {
      accountId,
      ...(options.afterSeq !== undefined ? { afterSeq: options.afterSeq } : {}),
    });
    subscription.ready.then(
      (info) => options.onReady?.({ lastSeq: info.lastSeq, recovered: info.recovered }),
      (error: unknown) => {
        refused = error;
        stop.abort();
      },
    );
    for await (const event of client.events({ types: options.types, signal: stop.signal })) {
      while (unknown.length > 0 && (unknown[0]?.seq ?? 0) < event.seq) yield unknown.shift()!;
      yield event as UnknownEvent;
    }
    if (refused !== undefined) throw refused;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    await client.close();
  }
}
