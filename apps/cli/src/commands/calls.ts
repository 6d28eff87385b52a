import { readFile } from 'node:fs/promises';
import type { Call } from '@callwire/types';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { formatDuration, formatMoney, formatTime, shortId } from '../output/format.js';
import { renderKeyValues } from '../output/key-values.js';
import { actingAccount } from '../session.js';

function renderCall(ctx: Context, call: Call): string {
  return renderKeyValues(
    [
      ['ID', call.uuid],
      ['Direction', call.direction],
      ['From', call.from],
      ['To', call.to],
      ['State', call.state],
      ['Duration', formatDuration(call.duration)],
      ['Started', formatTime(call.init_on)],
      ['Answered', formatTime(call.answer_on)],
      ['Ended', formatTime(call.hangup_on)],
      ['Cause', call.q850_cause === null ? '' : `${call.q850_cause} ${call.q850_cause_string ?? ''}`.trim()],
      ['Cost', call.cost === undefined ? '' : formatMoney(call.cost)],
    ],
    ctx.output.out,
  );
}

interface MakeOptions {
  from: string;
  to: string;
  flow?: string;
  timeout?: number;
  talkSecs?: number;
}

export async function make(ctx: Context, opts: MakeOptions): Promise<void> {
  let flow = opts.flow;
  if (flow?.startsWith('@')) {
    try {
      flow = await readFile(flow.slice(1), 'utf8');
    } catch {
      throw new UsageError(`Cannot read the call flow file ${flow.slice(1)}.`);
    }
  }
  const { api } = await actingAccount(ctx);
  const call = await api.makeCall({
    from: opts.from,
    to: opts.to,
    ...(flow ? { call_flow_xml: flow } : {}),
    ...(opts.timeout ? { timeout_secs: opts.timeout } : {}),
    ...(opts.talkSecs !== undefined ? { talk_secs: opts.talkSecs } : {}),
  });
  ctx.output.result(call, () => renderCall(ctx, call));
  ctx.output.success(
    `Calling; follow it with \`callwire events tail --types 'call.*'\` or hang up with \`callwire calls hangup ${call.uuid}\``,
  );
}

export async function hangup(ctx: Context, _opts: unknown, args: string[]): Promise<void> {
  const uuid = args[0] ?? '';
  const { api } = await actingAccount(ctx);
  const result = await api.hangupCall(uuid);
  ctx.output.result(result ?? { uuid, hangup: true }, () => '');
  ctx.output.success(`Hung up ${uuid}`);
}

export async function get(ctx: Context, _opts: unknown, args: string[]): Promise<void> {
  const { api } = await actingAccount(ctx);
  const call = await api.getCall(args[0] ?? '');
  ctx.output.result(call, () => renderCall(ctx, call));
}

export async function list(ctx: Context, opts: { direction?: 'in' | 'out'; limit: number }): Promise<void> {
  const { api } = await actingAccount(ctx);
  const calls = await api.listCalls(opts.direction ? { direction: opts.direction } : {}, opts.limit);
  ctx.output.list(
    calls,
    [
      { header: 'ID', value: (c) => shortId(c.uuid) },
      { header: 'STARTED', value: (c) => formatTime(c.init_on) },
      { header: 'DIR', value: (c) => c.direction },
      { header: 'FROM', value: (c) => c.from },
      { header: 'TO', value: (c) => c.to },
      { header: 'STATE', value: (c) => c.state },
      { header: 'DURATION', value: (c) => formatDuration(c.duration), align: 'right' },
      { header: 'CAUSE', value: (c) => c.q850_cause_string ?? '' },
    ],
    { empty: 'No calls yet.' },
  );
}
