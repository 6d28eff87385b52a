import type { UnknownEvent } from '@callwire/types';
import type { Context } from '../context.js';
import type { CliSession } from '../session.js';

export interface EventStreamOptions {
  types: string[];
  /** Replay retained events with a greater seq first (lossless resume). */
  afterSeq: number | undefined;
  signal: AbortSignal;
}

/** `http://host:8787` → `ws://host:8787/ws`. */
export function websocketUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  return url.toString();
}

/**
 * Live events of one account as an async iterable, resuming after `afterSeq` and after every
 * reconnect from the last seq it yielded, dropping duplicates by seq.
 */
export async function* streamEvents(
  ctx: Context,
  session: CliSession,
  accountId: string,
  options: EventStreamOptions,
): AsyncGenerator<UnknownEvent> {
  const { parseEventLenient } = await import('@callwire/types');
  const auth = session.auth.forAccount(accountId);
  const url = websocketUrl(ctx.settings.baseUrl);
  let lastSeq = options.afterSeq;
  const queue: UnknownEvent[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let socket: WebSocket | undefined;
  let attempt = 0;
  let stopped = false;

  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const stop = () => {
    stopped = true;
    socket?.close(1000);
    notify();
  };
  options.signal.addEventListener('abort', stop, { once: true });

  const connect = async () => {
    if (stopped) return;
    let token: string;
    try {
      token = await auth.token();
    } catch (error) {
      failure = error as Error;
      notify();
      return;
    }
    ctx.secrets.add(token);
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.addEventListener('message', (message) => {
      let data: { type?: string; success?: boolean; event?: unknown; code?: string; message?: string };
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (data.type === 'auth') {
        if (data.success) {
          attempt = 0;
          ws.send(
            JSON.stringify({
              type: 'subscribe',
              id: 'cli',
              types: options.types,
              account_id: accountId,
              ...(lastSeq !== undefined ? { after_seq: lastSeq } : {}),
            }),
          );
        } else {
          failure = Object.assign(new Error(data.message ?? 'The realtime server refused the token'), {
            code: data.code,
          });
          notify();
        }
      } else if (data.type === 'event') {
        const parsed = parseEventLenient(data.event);
        if (!parsed.ok) return;
        const event = parsed.event as UnknownEvent;
        if (lastSeq !== undefined && event.seq <= lastSeq) return;
        lastSeq = event.seq;
        queue.push(event);
        notify();
      } else if (data.type === 'error') {
        failure = Object.assign(new Error(data.message ?? 'Realtime error'), { code: data.code });
        notify();
      } else if (data.type === 'token_expiring') {
        void auth.refresh({ rejected: token }).then(async () => {
          const next = await auth.token();
          ctx.secrets.add(next);
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'reauth', token: next }));
        });
      }
    });
    ws.addEventListener('close', (event) => {
      if (stopped || failure) return notify();
      if (event.code === 4403 || event.code === 4400) {
        failure = new Error(`The realtime server closed the connection (${event.code} ${event.reason})`);
        return notify();
      }
      const refresh = event.code === 4401 ? auth.refresh({ rejected: token }) : Promise.resolve(true);
      // Full-jitter backoff 0.5 s → 20 s (ARCHITECTURE: realtime).
      const delay = Math.random() * Math.min(20_000, 500 * 2 ** attempt++);
      void refresh.catch(() => false).then(() => setTimeout(() => void connect(), delay));
    });
  };

  await connect();
  try {
    while (!stopped) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stop();
    options.signal.removeEventListener('abort', stop);
  }
}
