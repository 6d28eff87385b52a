import type { UnknownEvent } from '@callwire/types';
import { loadOrCreateForwardSecret } from '../config/forward-secret.js';
import type { Context } from '../context.js';
import { formatTime } from '../output/format.js';
import { linkedController, openStream, type StreamOptions } from './events.js';

interface ForwardOptions extends StreamOptions {
  to: string;
  printSecret?: boolean;
}

export interface DeliveryResult {
  ok: boolean;
  status?: number;
  error?: string;
  attempts: number;
  ms: number;
}

/** Backoff between attempts: brief, because the receiver is a local dev server that is restarting or broken. */
export const RETRY_DELAYS_MS = [500, 1000, 2000];
const ATTEMPT_TIMEOUT_MS = 10_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * POSTs one event to the local URL exactly as the platform's webhooks do: the raw JSON
 * body, `Callwire-Event-Id`, and `Callwire-Signature` over that exact body. Each attempt is signed
 * afresh, so a retry carries a current timestamp and passes the receiver's 300 s tolerance.
 */
export async function deliver(
  event: UnknownEvent,
  options: { url: string; secret: string; signal: AbortSignal; fetch: typeof fetch; delays?: number[] },
): Promise<DeliveryResult> {
  const { signWebhook } = await import('@callwire/auth-core');
  const body = JSON.stringify(event);
  const delays = options.delays ?? RETRY_DELAYS_MS;
  const started = Date.now();
  let last: DeliveryResult = { ok: false, attempts: 0, ms: 0 };
  for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
    if (options.signal.aborted) break;
    try {
      const signature = await signWebhook({ secret: options.secret, payload: body });
      const response = await options.fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'callwire-cli (events forward)',
          'callwire-event-id': event.uuid,
          'callwire-signature': signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      // Drain the body so the connection is reused.
      await response.arrayBuffer().catch(() => undefined);
      last = { ok: response.ok, status: response.status, attempts: attempt, ms: Date.now() - started };
      if (response.ok) return last;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      last = {
        ok: false,
        error: cause ?? (error instanceof Error ? error.message : String(error)),
        attempts: attempt,
        ms: Date.now() - started,
      };
    }
    const delay = delays[attempt - 1];
    if (delay === undefined) break;
    await sleep(delay, options.signal);
  }
  return last;
}

/** `callwire events forward --to URL`: like `stripe listen --forward-to`. */
export async function forward(ctx: Context, opts: ForwardOptions): Promise<void> {
  const secret = await loadOrCreateForwardSecret(ctx.paths.forwardSecrets, ctx.settings.profileName);
  if (opts.printSecret) {
    ctx.output.result({ signing_secret: secret }, () => `${secret}\n`);
    return;
  }
  const controller = linkedController(ctx.io.signal);
  const fetchImpl = ctx.io.fetch ?? globalThis.fetch;
  const c = ctx.output.out;
  const stream = await openStream(ctx, opts, controller, (info) => {
    // Printed once the server accepted the subscription: from here on nothing is missed.
    if (ctx.output.json) {
      ctx.output.ndjson({
        type: 'ready',
        signing_secret: secret,
        account: stream.account,
        to: opts.to,
        types: stream.types,
        last_seq: info.lastSeq,
      });
    } else {
      ctx.output.line(
        `Ready! Forwarding ${stream.types.join(',')} events of ${stream.label} to ${opts.to} (Ctrl-C to stop)`,
      );
    }
  });
  if (!ctx.output.json) {
    // The secret first, so it can go into the receiver's config while the socket connects.
    ctx.output.line(`Your webhook signing secret is ${c.bold(secret)} (it stays the same across restarts)`);
  }
  let delivered = 0;
  try {
    for await (const event of stream.events) {
      if (!ctx.output.json)
        ctx.output.line(`${c.dim(formatTime(event.created_on))}  --> ${event.type} [${event.uuid}]`);
      const result = await deliver(event, {
        url: opts.to,
        secret,
        signal: controller.signal,
        fetch: fetchImpl,
      });
      if (ctx.output.json) {
        ctx.output.ndjson({
          type: 'delivery',
          event_id: event.uuid,
          event_type: event.type,
          seq: event.seq,
          ok: result.ok,
          status: result.status ?? null,
          error: result.error ?? null,
          attempts: result.attempts,
        });
      } else {
        const status = result.status !== undefined ? `[${result.status}]` : `[${result.error ?? 'failed'}]`;
        const mark = result.ok ? c.green(status) : c.red(status);
        const retries = result.attempts > 1 ? ` after ${result.attempts} attempts` : '';
        ctx.output.line(
          `${c.dim(formatTime(new Date().toISOString()))}  <-- ${mark} POST ${opts.to} [${event.uuid}]${retries}`,
        );
      }
      // Progress is saved whether or not the receiver took it, as the platform does after its last
      // retry: a broken receiver must not make a restart replay the same event forever.
      await stream.save(event.seq);
      delivered += 1;
      if (opts.count !== undefined && delivered >= opts.count) break;
    }
  } finally {
    controller.abort();
  }
}
