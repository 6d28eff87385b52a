import type { UnknownEvent } from '@callwire/types';
import { describeAccount } from '../account-selection.js';
import { StateFile } from '../config/state-file.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { Colors } from '../output/color.js';
import { formatTime } from '../output/format.js';
import { sanitizeCell } from '../output/table.js';
import { streamEvents } from '../sdk/realtime.js';
import { actingAccount } from '../session.js';

export interface StreamOptions {
  types?: string[];
  /** Start at this seq, inclusive (`--since-seq`). */
  sinceSeq?: number;
  afterSeq?: number;
  fromNow?: boolean;
  count?: number;
}

function colorFor(type: string, c: Colors): (s: string) => string {
  if (type.endsWith('.failed') || type === 'call.hangup') return c.red;
  if (type.startsWith('call.')) return c.cyan;
  if (type.startsWith('sms.')) return c.green;
  return c.yellow;
}

/** One line per event: time, seq, type, the server's human message. */
export function formatEventLine(event: UnknownEvent, c: Colors): string {
  const type = colorFor(event.type, c)(event.type.padEnd(24));
  return `${c.dim(formatTime(event.created_on))}  ${c.dim(`#${event.seq}`.padStart(6))}  ${type} ${sanitizeCell(event.message)}`;
}

/**
 * Sets up a resumable event stream for the acting account: where to start (an explicit
 * --after-seq, else the saved position unless --from-now), and a function that saves progress.
 * Shared by `events tail` and `events forward`.
 */
export async function openStream(
  ctx: Context,
  opts: StreamOptions,
  controller: AbortController,
  onReady: (info: { lastSeq: number; recovered: boolean }) => void,
) {
  const starts = [opts.sinceSeq, opts.afterSeq, opts.fromNow || undefined].filter((o) => o !== undefined);
  if (starts.length > 1) throw new UsageError('Give only one of --since-seq, --after-seq and --from-now.');
  const { account, session } = await actingAccount(ctx);
  const state = new StateFile(ctx.paths.state);
  const cursorKey = `${ctx.settings.profileName}/${account.uuid}`;
  const saved = opts.fromNow ? undefined : await state.getCursor(cursorKey);
  const explicit = opts.sinceSeq !== undefined ? opts.sinceSeq - 1 : opts.afterSeq;
  const afterSeq = explicit ?? saved;
  const types = opts.types ?? ['*'];
  const events = streamEvents(ctx, session, account.uuid, {
    types,
    afterSeq,
    signal: controller.signal,
    onReady,
  });
  return {
    account,
    types,
    afterSeq,
    events,
    save: (seq: number) => state.setCursor(cursorKey, seq),
    label: describeAccount(account),
  };
}

/** A controller aborted by the run's signal (Ctrl-C in the bin). */
export function linkedController(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
  return controller;
}

/** `callwire events tail`: live events, one line each (NDJSON with --json), resuming after the last seen seq. */
export async function tail(ctx: Context, opts: StreamOptions): Promise<void> {
  const controller = linkedController(ctx.io.signal);
  const stream = await openStream(ctx, opts, controller, (info) => {
    // Printed once the server accepted the subscription: from here on nothing is missed.
    const from =
      stream.afterSeq !== undefined ? `, resuming after #${stream.afterSeq}` : ` (latest #${info.lastSeq})`;
    ctx.output.info(
      ctx.output.err.dim(
        `Listening for ${stream.types.join(',')} on ${stream.label}${from} (Ctrl-C to stop)`,
      ),
    );
  });
  let seen = 0;
  try {
    for await (const event of stream.events) {
      if (ctx.output.json) ctx.output.ndjson(event);
      else ctx.output.line(formatEventLine(event, ctx.output.out));
      await stream.save(event.seq);
      seen += 1;
      if (opts.count !== undefined && seen >= opts.count) break;
    }
  } finally {
    controller.abort();
  }
}
