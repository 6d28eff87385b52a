import type { Context } from '../context.js';
import { formatTime } from '../output/format.js';
import { renderKeyValues } from '../output/key-values.js';
import { actingAccount } from '../session.js';

/** The outside caller or sender of simulated traffic when --from is not given. */
export const OUTSIDE_NUMBER = '+12125550100';

interface InboundCallOptions {
  to: string;
  from?: string;
  talkSecs?: number;
}

/** `callwire simulate inbound-call --to <your number>`: someone calls one of your numbers (demo server). */
export async function inboundCall(ctx: Context, opts: InboundCallOptions): Promise<void> {
  const { api } = await actingAccount(ctx);
  const call = await api.simulateCall({
    from: opts.from ?? OUTSIDE_NUMBER,
    to: opts.to,
    ...(opts.talkSecs !== undefined ? { talk_secs: opts.talkSecs } : {}),
  });
  ctx.output.result(call, () =>
    renderKeyValues(
      [
        ['ID', call.uuid],
        ['Direction', call.direction],
        ['From', call.from],
        ['To', call.to],
        ['State', call.state],
        ['Started', formatTime(call.init_on)],
      ],
      ctx.output.out,
    ),
  );
  ctx.output.success(
    `Inbound call ringing on ${call.to}; follow it with \`callwire events tail --types 'call.*'\``,
  );
}

interface InboundSmsOptions {
  to: string;
  from?: string;
  message: string;
}

/** `callwire simulate inbound-sms --to <your number>`: someone texts one of your numbers (demo server). */
export async function inboundSms(ctx: Context, opts: InboundSmsOptions): Promise<void> {
  const { api } = await actingAccount(ctx);
  const sms = await api.simulateSms({
    from: opts.from ?? OUTSIDE_NUMBER,
    to: opts.to,
    message: opts.message,
  });
  ctx.output.result(sms, () =>
    renderKeyValues(
      [
        ['ID', sms.uuid],
        ['From', sms.from],
        ['To', sms.to],
        ['State', sms.state],
        ['Message', sms.message],
      ],
      ctx.output.out,
    ),
  );
  ctx.output.success(`SMS received on ${sms.to} (event sms.received)`);
}
